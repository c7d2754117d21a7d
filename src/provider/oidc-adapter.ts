import { AsyncLocalStorage } from "node:async_hooks";
import type { Clock } from "../common/clock";
import type { OidcPayloadData, OidcPayloadStore } from "./oidc-payload.store";
import type { ProviderClientSource } from "./provider-client-cache";
import { clientMetadata } from "./provider-clients";

/** oidc-provider's adapter interface, one instance per model name. */
export interface OidcAdapter {
  upsert(id: string, payload: OidcPayloadData, expiresIn?: number): Promise<void>;
  find(id: string): Promise<OidcPayloadData | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayloadData | undefined>;
  findByUid(uid: string): Promise<OidcPayloadData | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** Models the engine reads a grant right after (refresh, userinfo, introspection, code exchange). */
const ISSUED_UNDER_GRANT = new Set(["RefreshToken", "AccessToken", "AuthorizationCode", "DeviceCode"]);

/** Which Latchkey session (lk_access cookie) signed in a provider session: rows keyed by the provider session uid. */
export const SESSION_LINK_MODEL = "LatchkeySession";

/**
 * What the engine reads right after a token, read ahead with it, for this request only: its
 * grant, and its provider session's Latchkey link (null: the session has none). One statement
 * answers all three (OidcPayloadStore.findWithContext). Kept per request, so no other request
 * ever sees what was read for this one; a grant or link written or deleted in the request is
 * dropped from it. Keys are "<model>:<id>".
 */
const readAhead = new AsyncLocalStorage<Map<string, OidcPayloadData | null>>();

/** Runs one engine request with its own read-ahead. */
export function withGrantReadAhead<T>(handle: () => T): T {
  return readAhead.run(new Map(), handle);
}

/** The Latchkey link of a provider session read ahead in this request: null when it has none, undefined when not read. */
export function readAheadLink(uid: string): OidcPayloadData | null | undefined {
  return readAhead.getStore()?.get(`${SESSION_LINK_MODEL}:${uid}`);
}

const forget = (model: string, id: string) => readAhead.getStore()?.delete(`${model}:${id}`);

/**
 * The adapter class the engine instantiates per model: `Client` reads OAuthClient (clients are
 * managed over GraphQL, never by the engine), every other model is a row of OidcPayload.
 */
export function oidcAdapterClass(payloads: OidcPayloadStore, clients: ProviderClientSource, clock: Clock, alreadyUsed: () => Error) {
  const now = () => clock.now();
  class ClientAdapter implements OidcAdapter {
    async find(id: string) {
      const row = await clients.findForEngine(id);
      return row ? (clientMetadata(row) as OidcPayloadData) : undefined;
    }
    // Clients are never written through the engine (no dynamic registration).
    async upsert() {}
    async findByUserCode() {
      return undefined;
    }
    async findByUid() {
      return undefined;
    }
    async consume() {}
    async destroy() {}
    async revokeByGrantId() {}
  }

  class PayloadAdapter implements OidcAdapter {
    constructor(private readonly model: string) {}
    upsert(id: string, payload: OidcPayloadData, expiresIn?: number) {
      forget(this.model, id);
      const expiresAt = expiresIn ? new Date(now().getTime() + expiresIn * 1000) : null;
      return payloads.upsert(this.model, id, payload, expiresAt);
    }
    async find(id: string) {
      const ahead = readAhead.getStore();
      if (ahead && this.model === "Grant") {
        const grant = ahead.get(`Grant:${id}`);
        ahead.delete(`Grant:${id}`);
        if (grant) return grant;
      }
      if (!ahead || !ISSUED_UNDER_GRANT.has(this.model)) return payloads.find(this.model, id, now());
      const { found, grant, uid, link } = await payloads.findWithContext(this.model, id, SESSION_LINK_MODEL, now());
      if (found && grant && typeof found.grantId === "string") ahead.set(`Grant:${found.grantId}`, grant);
      if (found && uid) ahead.set(`${SESSION_LINK_MODEL}:${uid}`, link ?? null);
      return found;
    }
    findByUserCode(userCode: string) {
      return payloads.findByUserCode(this.model, userCode, now());
    }
    findByUid(uid: string) {
      return payloads.findByUid(this.model, uid, now());
    }
    /**
     * The engine checks `consumed` when it reads a code or refresh token, then consumes it: two
     * requests presenting it at the same instant both pass the check. Only one may win; the other
     * is treated as the reuse the engine's own check would have seen: the grant and everything
     * issued under it are revoked and the request fails with invalid_grant.
     */
    async consume(id: string) {
      if (await payloads.consume(this.model, id, now())) return;
      const grantId = await payloads.grantIdOf(this.model, id);
      if (grantId) {
        forget("Grant", grantId);
        // The grant too, as the engine's own reuse detection does: a token the winning request
        // stores after this finds no grant, so it is refused everywhere (refresh, introspection, userinfo).
        await payloads.revokeGrant(grantId);
      }
      throw alreadyUsed();
    }
    destroy(id: string) {
      forget(this.model, id);
      return payloads.destroy(this.model, id);
    }
    revokeByGrantId(grantId: string) {
      forget("Grant", grantId);
      return payloads.revokeByGrantId(grantId);
    }
  }

  return function OidcAdapterFactory(this: unknown, model: string): OidcAdapter {
    return model === "Client" ? new ClientAdapter() : new PayloadAdapter(model);
  } as unknown as new (model: string) => OidcAdapter;
}

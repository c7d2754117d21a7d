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

/**
 * Grants read ahead with a token, for this request only: the engine finds a token, then its
 * grant; one statement answers both (OidcPayloadStore.findWithGrant). Kept per request, so no
 * other request ever sees a grant read for this one; a grant written or deleted in the request
 * is dropped from it.
 */
const readAhead = new AsyncLocalStorage<Map<string, OidcPayloadData>>();

/** Runs one engine request with its own read-ahead of grants. */
export function withGrantReadAhead<T>(handle: () => T): T {
  return readAhead.run(new Map(), handle);
}

/**
 * The adapter class the engine instantiates per model: `Client` reads OAuthClient (clients are
 * managed over GraphQL, never by the engine), every other model is a row of OidcPayload.
 */
export function oidcAdapterClass(payloads: OidcPayloadStore, clients: ProviderClientSource, clock: Clock, alreadyUsed: () => Error) {
  const now = () => clock.now();
  class ClientAdapter implements OidcAdapter {
    async find(id: string) {
      const row = await clients.findByClientId(id);
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
      if (this.model === "Grant") readAhead.getStore()?.delete(id);
      const expiresAt = expiresIn ? new Date(now().getTime() + expiresIn * 1000) : null;
      return payloads.upsert(this.model, id, payload, expiresAt);
    }
    async find(id: string) {
      const ahead = readAhead.getStore();
      if (ahead && this.model === "Grant") {
        const grant = ahead.get(id);
        ahead.delete(id);
        if (grant) return grant;
      }
      if (!ahead || !ISSUED_UNDER_GRANT.has(this.model)) return payloads.find(this.model, id, now());
      const { found, grant } = await payloads.findWithGrant(this.model, id, now());
      if (found && grant && typeof found.grantId === "string") ahead.set(found.grantId, grant);
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
     * is treated as the reuse the engine's own check would have seen: everything issued under the
     * grant is revoked and the request fails with invalid_grant.
     */
    async consume(id: string) {
      if (await payloads.consume(this.model, id, now())) return;
      const grantId = await payloads.grantIdOf(this.model, id);
      if (grantId) {
        readAhead.getStore()?.delete(grantId);
        await payloads.revokeByGrantId(grantId);
      }
      throw alreadyUsed();
    }
    destroy(id: string) {
      if (this.model === "Grant") readAhead.getStore()?.delete(id);
      return payloads.destroy(this.model, id);
    }
    revokeByGrantId(grantId: string) {
      readAhead.getStore()?.delete(grantId);
      return payloads.revokeByGrantId(grantId);
    }
  }

  return function OidcAdapterFactory(this: unknown, model: string): OidcAdapter {
    return model === "Client" ? new ClientAdapter() : new PayloadAdapter(model);
  } as unknown as new (model: string) => OidcAdapter;
}

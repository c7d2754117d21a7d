import { AsyncLocalStorage } from "node:async_hooks";
import type { Clock } from "../common/clock";
import type { OidcPayloadData, OidcPayloadStore, PayloadWrite } from "./oidc-payload.store";
import type { AccountReadAlong, ProviderAccountRow } from "./provider-accounts";
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

/** Grant sources the token endpoint uses up before issuing in their place (see PendingUse). */
const USED_UP = new Set(["RefreshToken", "AuthorizationCode", "DeviceCode"]);

/** Which Latchkey session (lk_access cookie) signed in a provider session: rows keyed by the provider session uid. */
export const SESSION_LINK_MODEL = "LatchkeySession";

/**
 * A code or refresh token the engine consumed in this request, with the rows it stored since:
 * all written in one statement when the engine stores the access token, the last write of every
 * grant that uses one up (refresh: consume, refresh token, access token; code and device code:
 * consume, access token, then the refresh token on its own). The consume stays conditional, so
 * a request that lost a race still learns it before any token leaves (consumeAndWrite).
 */
interface PendingUse {
  model: string;
  id: string;
  writes: PayloadWrite[];
}

/**
 * One engine request's own state, never seen by another request. `ahead`: what the engine reads
 * right after a token, read with it (its grant, its provider session's Latchkey link, null: the
 * session has none), keys "<model>:<id>"; a grant or link written or deleted in the request is
 * dropped from it. `accounts`: the token's account, read with it (null: none live).
 */
interface EngineRequest {
  ahead: Map<string, OidcPayloadData | null>;
  accounts: Map<string, ProviderAccountRow | null>;
  pending?: PendingUse;
}

const engineRequest = new AsyncLocalStorage<EngineRequest>();

/** Runs one engine request with its own state (read-ahead, a pending use). */
export function withEngineRequest<T>(handle: () => T): T {
  return engineRequest.run({ ahead: new Map(), accounts: new Map() }, handle);
}

/** The Latchkey link of a provider session read ahead in this request: null when it has none, undefined when not read. */
export function readAheadLink(uid: string): OidcPayloadData | null | undefined {
  return engineRequest.getStore()?.ahead.get(`${SESSION_LINK_MODEL}:${uid}`);
}

/** The account read with this request's token: null when none is live, undefined when not read. */
export function readAheadAccount(accountId: string): ProviderAccountRow | null | undefined {
  return engineRequest.getStore()?.accounts.get(accountId);
}

const forget = (model: string, id: string) => engineRequest.getStore()?.ahead.delete(`${model}:${id}`);

/**
 * Writes a pending use with its rows (see PendingUse). When another request had already used
 * the code or refresh token, nothing is written and it is treated as the reuse the engine's own
 * check would have seen: the grant and everything issued under it are revoked, and `alreadyUsed`
 * is thrown (the engine answers invalid_grant).
 */
async function settle(payloads: OidcPayloadStore, pending: PendingUse, now: Date, alreadyUsed: () => Error): Promise<void> {
  if (await payloads.consumeAndWrite(pending.model, pending.id, now, pending.writes)) return;
  const grantId = await payloads.grantIdOf(pending.model, pending.id);
  if (grantId) {
    forget("Grant", grantId);
    // The grant too, as the engine's own reuse detection does: a token the winning request
    // stores after this finds no grant, so it is refused everywhere (refresh, introspection, userinfo).
    await payloads.revokeGrant(grantId);
  }
  throw alreadyUsed();
}

/**
 * Writes what is still pending when the engine has answered (a grant that stores no access
 * token after using its source: none does in this engine version; kept so a use is never lost).
 * Call before the response leaves; throws `alreadyUsed` as settle does.
 */
export async function settlePendingUse(payloads: OidcPayloadStore, now: Date, alreadyUsed: () => Error): Promise<void> {
  const request = engineRequest.getStore();
  const pending = request?.pending;
  if (!request || !pending) return;
  request.pending = undefined;
  await settle(payloads, pending, now, alreadyUsed);
}

/**
 * The adapter class the engine instantiates per model: `Client` reads OAuthClient (clients are
 * managed over GraphQL, never by the engine), every other model is a row of OidcPayload.
 */
export function oidcAdapterClass(
  payloads: OidcPayloadStore,
  clients: ProviderClientSource,
  accounts: AccountReadAlong,
  clock: Clock,
  alreadyUsed: () => Error,
) {
  const now = () => clock.now();
  /** Writes this request's pending use now (before a read, or any other write than its own rows). */
  const settlePending = () => settlePendingUse(payloads, now(), alreadyUsed);

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
    async upsert(id: string, payload: OidcPayloadData, expiresIn?: number) {
      forget(this.model, id);
      const expiresAt = expiresIn ? new Date(now().getTime() + expiresIn * 1000) : null;
      const request = engineRequest.getStore();
      const pending = request?.pending;
      if (request && pending && (this.model === "RefreshToken" || this.model === "AccessToken")) {
        pending.writes.push({ model: this.model, id, payload, expiresAt });
        if (this.model === "RefreshToken") return;
        request.pending = undefined;
        return settle(payloads, pending, now(), alreadyUsed);
      }
      await settlePending();
      return payloads.upsert(this.model, id, payload, expiresAt);
    }
    async find(id: string) {
      await settlePending();
      const request = engineRequest.getStore();
      if (request && this.model === "Grant") {
        const grant = request.ahead.get(`Grant:${id}`);
        request.ahead.delete(`Grant:${id}`);
        if (grant) return grant;
      }
      if (!request || !ISSUED_UNDER_GRANT.has(this.model)) return payloads.find(this.model, id, now());
      const { found, grant, uid, link, account } = await payloads.findWithContext(this.model, id, SESSION_LINK_MODEL, now(), accounts.column);
      if (found && grant && typeof found.grantId === "string") request.ahead.set(`Grant:${found.grantId}`, grant);
      if (found && uid) request.ahead.set(`${SESSION_LINK_MODEL}:${uid}`, link ?? null);
      if (found && typeof found.accountId === "string") request.accounts.set(found.accountId, accounts.parse(account));
      return found;
    }
    async findByUserCode(userCode: string) {
      await settlePending();
      return payloads.findByUserCode(this.model, userCode, now());
    }
    async findByUid(uid: string) {
      await settlePending();
      return payloads.findByUid(this.model, uid, now());
    }
    /**
     * The engine checks `consumed` when it reads a code or refresh token, then consumes it: two
     * requests presenting it at the same instant both pass the check. Only one may win (settle).
     * In a request the use waits for the rows issued in its place (PendingUse); elsewhere, or
     * for another model, it is written at once.
     */
    async consume(id: string) {
      await settlePending();
      const request = engineRequest.getStore();
      if (request && USED_UP.has(this.model)) {
        request.pending = { model: this.model, id, writes: [] };
        return;
      }
      await settle(payloads, { model: this.model, id, writes: [] }, now(), alreadyUsed);
    }
    async destroy(id: string) {
      await settlePending();
      forget(this.model, id);
      return payloads.destroy(this.model, id);
    }
    async revokeByGrantId(grantId: string) {
      await settlePending();
      forget("Grant", grantId);
      return payloads.revokeByGrantId(grantId);
    }
  }

  return function OidcAdapterFactory(this: unknown, model: string): OidcAdapter {
    return model === "Client" ? new ClientAdapter() : new PayloadAdapter(model);
  } as unknown as new (model: string) => OidcAdapter;
}

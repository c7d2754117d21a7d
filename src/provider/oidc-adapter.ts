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
      const expiresAt = expiresIn ? new Date(now().getTime() + expiresIn * 1000) : null;
      return payloads.upsert(this.model, id, payload, expiresAt);
    }
    find(id: string) {
      return payloads.find(this.model, id, now());
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
      if (grantId) await payloads.revokeByGrantId(grantId);
      throw alreadyUsed();
    }
    destroy(id: string) {
      return payloads.destroy(this.model, id);
    }
    revokeByGrantId(grantId: string) {
      return payloads.revokeByGrantId(grantId);
    }
  }

  return function OidcAdapterFactory(this: unknown, model: string): OidcAdapter {
    return model === "Client" ? new ClientAdapter() : new PayloadAdapter(model);
  } as unknown as new (model: string) => OidcAdapter;
}

import type { PrismaClient } from "../generated/prisma/client";
import type { SqlRunner } from "../db/direct-sql";
import type { Clock } from "../common/clock";
import type { Logger } from "../logger";
import { AccountRevocation } from "./account-revocation";
import { createProvider, type ProviderSettings } from "./create-provider";
import { OidcPayloadStore } from "./oidc-payload.store";
import type { ProviderAccountRow, ProviderAccountSource } from "./provider-accounts";
import { OAuthClientStore } from "./oauth-client.store";
import { CachedProviderClients } from "./provider-client-cache";
import type { InvalidationBus } from "../sessions";
import { ProviderHost } from "./provider-host";
import { loadEngine, type OidcEngineModule } from "./load-engine";
import type { EndSessionContext } from "./logout-pages";

export interface ProviderFeatureDependencies {
  prisma: PrismaClient;
  /** Direct statements on the driver (db/direct-sql.ts), for the token endpoint's hot path. */
  sql: SqlRunner;
  enabled: boolean;
  settings: ProviderSettings;
  accounts: ProviderAccountSource;
  /** Announces client changes (OAuthClientService), so every process's client cache forgets them. */
  bus?: InvalidationBus;
  isDisabledAt: (user: ProviderAccountRow, now: Date) => boolean;
  keys: { providerJwks(): { keys: unknown[] }; providerKeyVersion(): string };
  clock: Clock;
  logger: Logger;
  /** What else a confirmed provider logout ends (the browser's Latchkey session). */
  onEndSession?: (ctx: EndSessionContext) => void;
}

/**
 * The provider feature: its stores, the account-revocation listener (registered with the audit
 * trail in services.ts, which is built before this) and, when enabled, the engine. The engine
 * is made on first use, after the signing keys are loaded (app.ts runs signingKeys.init()).
 */
export function createProviderFeature(deps: ProviderFeatureDependencies) {
  const payloads = new OidcPayloadStore(deps.prisma, deps.sql);
  const clients = new OAuthClientStore(deps.prisma, deps.sql);
  // Every token request reads its client: kept in memory while the bus can announce changes.
  const cachedClients = new CachedProviderClients(clients, deps.bus);
  const revocation = new AccountRevocation(payloads, deps.logger);
  let host: ProviderHost | undefined;
  let engine: OidcEngineModule | undefined;
  const start = async (): Promise<ProviderHost | undefined> => {
    if (!deps.enabled) return undefined;
    engine ??= await loadEngine(deps.logger);
    const loaded = engine;
    host ??= new ProviderHost(
      () =>
        createProvider({
          engine: loaded,
          settings: deps.settings,
          payloads,
          clients: cachedClients,
          accounts: deps.accounts,
          isDisabledAt: deps.isDisabledAt,
          jwks: () => deps.keys.providerJwks(),
          clock: deps.clock,
          logger: deps.logger,
          onEndSession: deps.onEndSession,
        }),
      () => deps.keys.providerKeyVersion(),
    );
    return host;
  };
  return {
    payloads,
    clients,
    revocation,
    /** A client changed (OAuthClientService): this process forgets it now, every other one through the bus. */
    clientChanged: (clientId: string) => {
      cachedClients.forget(clientId);
      deps.bus?.publish({ oauthClientId: clientId });
    },
    /** Makes the engine (once the keys are loaded); undefined when OIDC_PROVIDER_ENABLED is false. */
    start,
    /** The running engine's host, once started. */
    host: () => host,
    /** Removes expired engine state (background job). */
    prune: () => payloads.pruneExpired(deps.clock.now()),
    /** Picks up rotated keys (after the key store's refresh). */
    refreshKeys: () => host?.refreshKeys(),
  };
}

import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { AuditService } from "../audit";
import { OAuthClientStore } from "./oauth-client.store";
import { OAuthClientService } from "./oauth-client.service";
import { AuthorizedAppsStore } from "./authorized-apps.store";
import { AuthorizedAppsService } from "./authorized-apps.service";

export interface OAuthClientsDependencies {
  prisma: PrismaClient;
  clock: Clock;
  audit: AuditService;
  /** Told the clientId of a client whose change committed (the invalidation bus, for the engine's client cache). */
  onClientChanged?: (clientId: string) => void;
}

/** The provider's clients as ADMINs manage them, and the consents users gave them. */
export function createOAuthClients(deps: OAuthClientsDependencies) {
  const { prisma, clock, audit } = deps;
  const clientStore = new OAuthClientStore(prisma);
  const grantStore = new AuthorizedAppsStore(prisma);
  return {
    clientStore,
    grantStore,
    oauthClients: new OAuthClientService(prisma, clientStore, grantStore, audit, clock, deps.onClientChanged),
    authorizedApps: new AuthorizedAppsService(prisma, grantStore, clientStore, audit, clock),
  };
}

import type { OAuthClient, PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { OAuthClientStore } from "./oauth-client.store";
import type { AuthorizedAppsStore } from "./authorized-apps.store";

/** The apps a user let sign them in through this provider (their consents), and withdrawing one. */
export class AuthorizedAppsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly grants: AuthorizedAppsStore,
    private readonly clients: OAuthClientStore,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The clients the user has a live consent for, by name; a deleted client's leftovers are not listed. */
  async list(userId: string): Promise<OAuthClient[]> {
    const grants = await this.grants.grantsOf(userId, this.clock.now());
    return this.clients.findManyByClientId([...new Set(grants.map((grant) => grant.clientId))]);
  }

  /**
   * Ends the user's consent to a client: their grants for it go, with the codes and access and
   * refresh tokens issued under them, so the app must ask again. false when there was none.
   */
  async revoke(userId: string, clientId: string, origin: AuditOrigin): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const grantIds = await this.grants.grantIdsFor(userId, clientId, { db: tx });
      const count = await this.grants.deleteGrants(tx, grantIds);
      if (count === 0) return false;
      await this.audit.record({ type: AuditEventType.AUTHORIZED_APP_REVOKED, userId, origin, metadata: { clientId: clientId.slice(0, 64), grants: count } }, tx);
      return true;
    });
  }
}

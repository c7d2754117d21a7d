import type { PrismaClient } from "../generated/prisma/client";
import type { UserStore } from "../accounts";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditEntry, type AuditOrigin, type AuditService } from "../audit";
import type { AuthPayloadData, SessionService, Viewer } from "../sessions";

/** The longest reason an impersonation may give (it is kept in the audit trail). */
export const IMPERSONATION_REASON_MAX_LENGTH = 500;

/**
 * Impersonation: an ADMIN signs in as another account to see what its user sees, for at most an
 * hour (IMPERSONATION_MAX_LIFETIME_MS in sessions/). Never as an ADMIN, a disabled or deleted
 * account, or from a session that is itself impersonated. The session remembers the ADMIN: its
 * access tokens carry the `act` claim, what it does is audited with the ADMIN as actor, and it
 * may not change how the account is reached (graphql/recent-auth.ts).
 */
export class ImpersonationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly users: UserStore,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    /** The access tokens' lifetime (ACCESS_TOKEN_TTL), never past the session's end. */
    private readonly accessTtlSeconds: number,
  ) {}

  async impersonate(admin: Viewer, userId: string, reason: string, origin: AuditOrigin): Promise<AuthPayloadData> {
    if (admin.impersonatorId) throw Errors.impersonationForbidden();
    const why = reason.trim();
    if (!why) throw Errors.badInput("reason", "Say why the account is impersonated");
    if (why.length > IMPERSONATION_REASON_MAX_LENGTH) {
      throw Errors.badInput("reason", `The reason is at most ${IMPERSONATION_REASON_MAX_LENGTH} characters`);
    }
    const { issued, target, entry } = await this.prisma.$transaction(async (tx) => {
      // The user lock: a promotion, ban or deletion of the account waits for this, or this for it.
      const target = await this.users.lock(tx, userId);
      if (!target || target.deletedAt) throw Errors.notFound("No such user");
      if (target.role === "ADMIN") throw Errors.forbidden("An ADMIN cannot be impersonated", { reason: "ADMIN_TARGET" });
      if (target.disabled) throw Errors.conflict("userId", "A disabled account cannot be impersonated");
      let entry: AuditEntry | undefined;
      const issued = await this.sessions.startImpersonation(
        tx,
        { userId: target.id, impersonatorId: admin.user.id, ip: origin.ip, userAgent: origin.userAgent, accessTtlSeconds: this.accessTtlSeconds },
        (session) => {
          entry = {
            type: AuditEventType.IMPERSONATION_STARTED,
            userId: target.id,
            actorId: admin.user.id,
            origin,
            metadata: { reason: why, sessionId: session.id, expiresAt: session.expiresAt.toISOString() },
          };
          return this.audit.statementParts(entry, tx);
        },
      );
      return { issued, target, entry: entry! };
    });
    this.audit.recorded(entry);
    return this.sessions.authPayload(target, issued, this.accessTtlSeconds);
  }
}

import type { PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { refuseImpersonation } from "../graphql/recent-auth";
import type { SessionService, Viewer } from "./session.service";

/** Sign-out in its three forms; each takes effect on the very next request. */
export class SessionRevocationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Ends the current session and blocks the access token that asked, at once. Ending an
   * impersonated session also records IMPERSONATION_ENDED (the ADMIN as actor).
   */
  async logout(viewer: Viewer, origin: AuditOrigin): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.sessions.revoke(tx, viewer.sessionId, AuditEventType.LOGOUT, {
        jti: viewer.jti,
        expiresAt: viewer.tokenExpiresAt,
      });
      await this.audit.record({ type: AuditEventType.LOGOUT, userId: viewer.user.id, origin, metadata: { sessionId: viewer.sessionId } }, tx);
      if (viewer.impersonatorId) {
        await this.audit.record(
          { type: AuditEventType.IMPERSONATION_ENDED, userId: viewer.user.id, actorId: viewer.impersonatorId, origin, metadata: { sessionId: viewer.sessionId } },
          tx,
        );
      }
    });
  }

  /** Ends every session of the viewer, the current one too; returns how many were live. */
  async logoutAll(viewer: Viewer, origin: AuditOrigin): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const count = await this.sessions.revokeAllForUser(tx, viewer.user.id, AuditEventType.LOGOUT);
      await this.sessions.revoke(tx, viewer.sessionId, AuditEventType.LOGOUT, { jti: viewer.jti, expiresAt: viewer.tokenExpiresAt });
      await this.audit.record({ type: AuditEventType.LOGOUT, userId: viewer.user.id, origin, metadata: { allSessions: true, count } }, tx);
      return count;
    });
  }

  /**
   * Ends one of the viewer's own sessions; another user's session is NOT_FOUND, not FORBIDDEN.
   * An impersonated session may end itself only: the user's own sessions are not the ADMIN's to end.
   */
  async revokeOwn(viewer: Viewer, sessionId: string, origin: AuditOrigin): Promise<void> {
    if (sessionId !== viewer.sessionId) refuseImpersonation(viewer);
    await this.prisma.$transaction(async (tx) => {
      if (!(await this.sessions.belongsTo(tx, sessionId, viewer.user.id))) throw Errors.notFound("Session not found");
      const current = sessionId === viewer.sessionId ? { jti: viewer.jti, expiresAt: viewer.tokenExpiresAt } : undefined;
      const revoked = await this.sessions.revoke(tx, sessionId, AuditEventType.SESSION_REVOKED, current);
      if (revoked) {
        await this.audit.record({ type: AuditEventType.SESSION_REVOKED, userId: viewer.user.id, origin, metadata: { sessionId } }, tx);
      }
    });
  }
}

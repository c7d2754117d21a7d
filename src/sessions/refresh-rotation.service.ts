import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { randomToken, sha256 } from "../common/tokens";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
import type { AuthPayloadData, SessionService } from "./session.service";

const invalidRefreshToken = () => Errors.unauthenticated("Invalid or expired refresh token");

/**
 * Refresh-token rotation: every use retires the presented token and issues a new one in the
 * same session. A retired token presented again means it was copied: the whole session is
 * revoked, so both the thief's and the owner's newest tokens stop working.
 */
export class RefreshRotationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: { refreshTokenTtlMs: number; defaultAccessTtlMs: number },
    private readonly logger: Logger,
  ) {}

  async refresh(presented: string, origin: AuditOrigin): Promise<AuthPayloadData> {
    const found = await this.prisma.refreshToken.findUnique({
      where: { tokenHash: sha256(presented) },
      include: { session: { include: { user: true } } },
    });
    if (!found) throw invalidRefreshToken();
    const { session } = found;
    const now = this.clock.now();

    if (found.retiredAt) {
      await this.prisma.$transaction(async (tx) => {
        const revoked = await this.sessions.revoke(tx, session.id, AuditEventType.REFRESH_TOKEN_REUSED);
        if (revoked) {
          this.logger.warn({ userId: session.userId, sessionId: session.id, ip: origin.ip }, "refresh token reused: session revoked");
          await this.audit.record(
            { type: AuditEventType.REFRESH_TOKEN_REUSED, userId: session.userId, origin, metadata: { sessionId: session.id } },
            tx,
          );
        }
      });
      throw invalidRefreshToken();
    }
    const user = session.user;
    if (found.expiresAt <= now || !this.sessions.isActive(session, now) || user.deletedAt || user.disabled) {
      throw invalidRefreshToken();
    }

    const refreshToken = randomToken();
    const expiresAt = new Date(now.getTime() + this.policy.refreshTokenTtlMs);
    const rotated = await this.prisma.$transaction(async (tx) => {
      // Retire atomically: of two requests racing with one token, only one sees count 1.
      const { count } = await tx.refreshToken.updateMany({ where: { id: found.id, retiredAt: null }, data: { retiredAt: now } });
      if (count !== 1) return undefined;
      await tx.refreshToken.create({ data: { sessionId: session.id, tokenHash: sha256(refreshToken), createdAt: now, expiresAt } });
      return tx.session.update({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt } });
    });
    if (!rotated) throw invalidRefreshToken();

    const lifetimeSeconds = session.accessTtlSeconds ?? Math.floor(this.policy.defaultAccessTtlMs / 1000);
    return this.sessions.authPayload(user, { session: rotated, refreshToken, refreshTokenExpiresAt: expiresAt }, lifetimeSeconds);
  }
}

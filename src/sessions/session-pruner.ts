import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";

// Revoked sessions are kept a day so support can still see what happened, then removed.
const REVOKED_SESSION_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes revoked-token rows whose tokens have expired anyway, refresh tokens past their own
 * expiry, and sessions that can never be used again. Plain DELETEs by time: several processes
 * running it at once do no harm.
 *
 * A session that keeps refreshing never expires, and rotation keeps every retired token so a
 * replayed one can be caught; without the refresh-token delete such a session would keep a row
 * per refresh for ever. A retired token is kept until its own expiry, so replaying it is caught
 * (and the session revoked) for as long as it could have been used.
 */
export class SessionPruner {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    private readonly policy: { idleTimeoutMs: number },
  ) {}

  async prune(): Promise<{ revokedTokens: number; refreshTokens: number; sessions: number }> {
    const now = this.clock.now();
    const revokedTokens = await this.prisma.revokedToken.deleteMany({ where: { expiresAt: { lt: now } } });
    const refreshTokens = await this.prisma.refreshToken.deleteMany({ where: { expiresAt: { lt: now } } });
    const dead = [
      { expiresAt: { lt: now } },
      { revokedAt: { lt: new Date(now.getTime() - REVOKED_SESSION_GRACE_MS) } },
      ...(this.policy.idleTimeoutMs > 0 ? [{ lastSeenAt: { lt: new Date(now.getTime() - this.policy.idleTimeoutMs) } }] : []),
    ];
    const sessions = await this.prisma.session.deleteMany({ where: { OR: dead } });
    return { revokedTokens: revokedTokens.count, refreshTokens: refreshTokens.count, sessions: sessions.count };
  }
}

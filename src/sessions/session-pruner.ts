import type { Clock } from "../common/clock";
import type { SessionStore } from "./session.store";
import type { RefreshTokenStore } from "./refresh-token.store";

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
    private readonly sessions: SessionStore,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly clock: Clock,
    private readonly policy: { idleTimeoutMs: number },
  ) {}

  async prune(): Promise<{ revokedTokens: number; refreshTokens: number; sessions: number }> {
    const now = this.clock.now();
    const revokedTokens = await this.sessions.pruneRevokedTokens(now);
    const refreshTokens = await this.refreshTokens.pruneExpired(now);
    const idleSince = this.policy.idleTimeoutMs > 0 ? new Date(now.getTime() - this.policy.idleTimeoutMs) : null;
    const sessions = await this.sessions.pruneSessions(now, new Date(now.getTime() - REVOKED_SESSION_GRACE_MS), idleSince);
    return { revokedTokens, refreshTokens, sessions };
  }
}

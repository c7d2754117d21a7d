import type { Logger } from "pino";
import type { PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { randomToken, sha256 } from "../common/tokens";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
import type { AuthPayloadData, SessionService } from "./session.service";
import { RefreshTokenStore } from "./refresh-token-store";
import type { SqlRunner } from "../db/direct-sql";

const invalidRefreshToken = () => Errors.unauthenticated("Invalid or expired refresh token");

/**
 * Refresh-token rotation: every use retires the presented token and issues a new one in the
 * same session. A retired token presented again means it was copied: the whole session is
 * revoked, so both the thief's and the owner's newest tokens stop working.
 */
export class RefreshRotationService {
  constructor(
    private readonly prisma: PrismaClient,
    sql: SqlRunner,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: { refreshTokenTtlMs: number; defaultAccessTtlMs: number },
    private readonly logger: Logger,
  ) {
    this.store = new RefreshTokenStore(sql);
  }

  private readonly store: RefreshTokenStore;

  async refresh(presented: string, origin: AuditOrigin): Promise<AuthPayloadData> {
    const now = this.clock.now();
    const refreshToken = randomToken();
    const expiresAt = new Date(now.getTime() + this.policy.refreshTokenTtlMs);
    const found = await this.store.rotate(sha256(presented), { tokenHash: sha256(refreshToken), now, expiresAt }, (columns) =>
      this.sessions.usableSql(columns, now),
    );
    if (!found) throw invalidRefreshToken();
    const { session, user } = found;

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
    // Expired token, unusable session, disabled or deleted account, or another request rotated it first.
    if (!found.rotated) throw invalidRefreshToken();

    const lifetimeSeconds = session.accessTtlSeconds ?? Math.floor(this.policy.defaultAccessTtlMs / 1000);
    return this.sessions.authPayload(
      user,
      { session: { ...session, ...found.rotated }, refreshToken, refreshTokenExpiresAt: expiresAt },
      lifetimeSeconds,
    );
  }
}

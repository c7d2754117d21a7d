import type { Logger } from "pino";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { isDisabledAt } from "../accounts";
import { SecretBox } from "../common/secret-box";
import { randomToken, sha256 } from "../common/tokens";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { AuthPayloadData, SessionService } from "./session.service";
import type { RefreshTokenStore, RotationResult } from "./refresh-token.store";

const invalidRefreshToken = () => Errors.unauthenticated("Invalid or expired refresh token");

/**
 * A successor's plaintext sealed under a key derived (HKDF) from its predecessor's plaintext: only
 * a holder of the retired token can open it, and the database holds neither plaintext.
 */
const successorBox = (predecessor: string) => new SecretBox(predecessor, "refresh-successor");

/**
 * Refresh-token rotation: every use retires the presented token and issues a new one in the
 * same session. A retired token presented again means it was copied: the whole session is
 * revoked, so both the thief's and the owner's newest tokens stop working.
 *
 * Except within REFRESH_REUSE_INTERVAL of its retirement, while its successor is still unused:
 * then it is a second tab (or a retried request) that raced the first, and it gets the same
 * successor and a fresh access token. A token whose successor has been used already, or
 * presented after the interval, revokes the session as before.
 */
export class RefreshRotationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: RefreshTokenStore,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: { refreshTokenTtlMs: number; defaultAccessTtlMs: number; reuseIntervalMs: number },
    private readonly logger: Logger,
  ) {}

  async refresh(presented: string, origin: AuditOrigin): Promise<AuthPayloadData> {
    const now = this.clock.now();
    const refreshToken = randomToken();
    const next = {
      id: randomUUID(),
      tokenHash: sha256(refreshToken),
      seal: successorBox(presented).seal(refreshToken),
      now,
      expiresAt: new Date(now.getTime() + this.policy.refreshTokenTtlMs),
    };
    const rotate = () =>
      this.store.rotate(
        sha256(presented),
        next,
        (columns) => this.sessions.usableSql(columns, now),
        (createdAt) => this.sessions.lifetimeEndSql(createdAt),
      );
    let found = await rotate();
    if (!found) throw invalidRefreshToken();
    // On PostgreSQL a request racing another with the same token read it before the other's
    // commit and then found it retired: read again to see the successor (only on such a race).
    if (!found.rotated && !found.retiredAt && this.policy.reuseIntervalMs > 0 && this.couldRotate(found, now)) {
      found = (await rotate()) ?? found;
    }
    const { session, user } = found;
    const lifetimeSeconds = session.accessTtlSeconds ?? Math.floor(this.policy.defaultAccessTtlMs / 1000);

    if (found.retiredAt) {
      const successor = this.successorWithinInterval(found, presented, now);
      if (successor) {
        return this.sessions.authPayload(user, { session, refreshToken: successor.token, refreshTokenExpiresAt: successor.expiresAt }, lifetimeSeconds, found.organization);
      }
      await this.prisma.$transaction(async (tx) => {
        const revoked = await this.sessions.revoke(tx, session.id, AuditEventType.REFRESH_TOKEN_REUSED);
        if (revoked) {
          this.logger.warn({ userId: session.userId, sessionId: session.id, ip: origin.ip, reqId: origin.requestId }, "refresh token reused: session revoked");
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

    return this.sessions.authPayload(
      user,
      { session: { ...session, ...found.rotated }, refreshToken, refreshTokenExpiresAt: found.rotated.expiresAt },
      lifetimeSeconds,
      found.organization,
    );
  }

  /** Whether the statement would have rotated this token had nobody else retired it first. */
  private couldRotate(found: RotationResult, now: Date): boolean {
    return found.tokenExpiresAt > now && this.sessions.isActive(found.session, now) && !isDisabledAt(found.user, now) && !found.user.deletedAt;
  }

  /**
   * The retired token's successor, when it may be handed out again: within the reuse interval,
   * the successor not used (so not erased) and unexpired, the session and account still usable.
   */
  private successorWithinInterval(found: RotationResult, presented: string, now: Date): { token: string; expiresAt: Date } | undefined {
    const { retiredAt, successor } = found;
    if (!retiredAt || !successor?.seal || successor.retiredAt) return undefined;
    if (now.getTime() - retiredAt.getTime() >= this.policy.reuseIntervalMs) return undefined;
    if (successor.expiresAt <= now || !this.sessions.isActive(found.session, now) || isDisabledAt(found.user, now) || found.user.deletedAt) {
      return undefined;
    }
    try {
      return { token: successorBox(presented).open(successor.seal), expiresAt: successor.expiresAt };
    } catch {
      return undefined;
    }
  }
}

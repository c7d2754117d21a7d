import type { Prisma } from "../generated/prisma/client";
import type { Logger } from "pino";
import type { Clock } from "../common/clock";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { Metrics } from "../metrics";
import { LoginFailureStore, type CountWindows, type FailureCounts } from "./login-failure.store";

export type { FailureCounts } from "./login-failure.store";

export interface LockoutPolicy {
  /** Failures within `windowMs` that lock the account. */
  threshold: number;
  windowMs: number;
  /** First lock lasts `baseMs`; each further `threshold` failures in a day doubles it, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** An IP the account signed in from within this long is judged only by its own failures. */
  trustedIpMs: number;
}

export interface LockState {
  locked: boolean;
  retryAfterSeconds: number;
}

/**
 * A secret check paid for in advance: a failure row written before the secret is looked at.
 * It stays as the failure when the check fails and is deleted when it succeeds.
 */
export interface Attempt {
  id: string;
  accountKey: string;
  userId: string | null;
  ip: string | null;
  at: Date;
}

/** The verdict on an attempt: go ahead (and what a failure would start), or locked. */
export type AttemptVerdict =
  | { allowed: true; attempt: Attempt; lockIfFails: LockState }
  | { allowed: false; lock: LockState };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Brute-force lockout per account. Failures are keyed by account, or by the identifier tried
 * when no account matches, so "locked" is said of unknown accounts too and reveals nothing.
 * A lock cannot keep the owner out for long: it is capped, and an IP the owner recently
 * signed in from counts only its own failures, so an attacker elsewhere cannot lock it.
 *
 * Every check of a secret (password or code) is claimed before it runs, so that concurrent
 * requests, on any number of processes, get at most `threshold` checks before a lock:
 * 1. `claim` (or the sign-in read, through `claimPart`) inserts a failure row for the attempt,
 *    unless the account is already locked;
 * 2. `confirm`, a statement started after that insert committed, counts every other row
 *    (failures and claims in flight) and refuses the attempt when they lock the account. The
 *    k-th claim to commit sees at least k-1 others, so at most `threshold` pass, however the
 *    requests interleave. A refused claim is deleted.
 * 3. After the check, `release` (or `releasePart`, folded into the success write) deletes the
 *    claim on success; on failure the row simply stays, and `reportFailure` says if it locks.
 *
 * Checks made inside a signed-in session (changePassword, deleteAccount, second-factor codes,
 * reauthentication) use the one call `withAttempt(userId, origin, check)`: it answers
 * ACCOUNT_LOCKED past the threshold without running `check`, even for the right secret.
 */
export class LoginLockoutService {
  constructor(
    private readonly store: LoginFailureStore,
    private readonly clock: Clock,
    private readonly policy: LockoutPolicy,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  static accountKey(userId: string | undefined, normalizedIdentifier: string): string {
    return userId ? `user:${userId}` : `unknown:${normalizedIdentifier}`;
  }

  /** `accountKey` as a SQL expression, for a statement that finds the user id itself. */
  static accountKeySql(userId: Prisma.Sql, normalizedIdentifier: string): Prisma.Sql {
    return LoginFailureStore.accountKeyPart(userId, LoginLockoutService.accountKey(undefined, normalizedIdentifier));
  }

  /**
   * The failures that decide a lock, as a subquery over SQL expressions for the account key and
   * user id, so sign-in can read them in the same statement as the user (LATERAL). Failures
   * from elsewhere do not count against an IP the account recently signed in from. `exceptId`
   * leaves one row (an attempt's own claim) out.
   */
  failureCounts(accountKey: Prisma.Sql, userId: Prisma.Sql, ip: string | null, now: Date, exceptId?: string): Prisma.Sql {
    return this.store.countsPart(accountKey, userId, ip, this.windows(now), exceptId);
  }

  /** `evaluate(...).locked` as a SQL condition over count columns, for a statement to act on. */
  lockedSql(recent: Prisma.Sql, day: Prisma.Sql, latest: Prisma.Sql, now: Date): Prisma.Sql {
    return this.store.lockedPart(recent, day, latest, this.policy, now);
  }

  /**
   * A statement part claiming an attempt: CTE `claimed_attempt` inserts the failure row for the
   * first row of `source` (columns "accountKey", "userId", recent, day, latest: the counts
   * before it) unless those counts lock the account, returning its id. Lets the sign-in read
   * claim in the same round trip; `confirm` must follow.
   */
  claimPart(source: string, ip: string | null, now: Date): Prisma.Sql {
    return this.store.claimPart(source, ip, this.policy, now);
  }

  /** Claims an attempt on a known account (step 1 and 2 above); ACCOUNT_LOCKED when locked. */
  async claim(userId: string, ip: string | null): Promise<AttemptVerdict> {
    return this.claimKey(LoginLockoutService.accountKey(userId, ""), userId, ip);
  }

  /**
   * `claim` on a counter of its own (e.g. passkey resets, counted apart from sign-in): `accountKey`
   * names it, `userId` (null for an identifier no account has) keeps the trusted-IP rule.
   */
  async claimKey(accountKey: string, userId: string | null, ip: string | null): Promise<AttemptVerdict> {
    const now = this.clock.now();
    const row = await this.store.claim(accountKey, userId, ip, this.policy, this.windows(now), now);
    return this.confirm(row.claimId ? { id: row.claimId, accountKey, userId, ip, at: now } : null, row, now);
  }

  /**
   * Decides on a claimed attempt by counting everything else on its account now that the claim
   * is committed; a refused claim is deleted. `claimed` null means the claim found the account
   * locked (`before` are the counts it saw).
   */
  async confirm(claimed: Attempt | null, before: FailureCounts, now = this.clock.now()): Promise<AttemptVerdict> {
    if (!claimed) return { allowed: false, lock: this.lockedAtLeastASecond(this.evaluate(before, now)) };
    const others = await this.store.counts(claimed.accountKey, claimed.userId, claimed.ip, this.windows(now), claimed.id);
    const lock = this.evaluate(others, now);
    if (lock.locked) {
      await this.release(claimed);
      return { allowed: false, lock };
    }
    const latest = others.latest && others.latest > claimed.at ? others.latest : claimed.at;
    return { allowed: true, attempt: claimed, lockIfFails: this.evaluate({ recent: others.recent + 1, day: others.day + 1, latest }, now) };
  }

  /** Deletes a claim: its check succeeded (or never ran). */
  async release(attempt: Attempt): Promise<void> {
    await this.store.delete(attempt.id);
  }

  /** `release` as a CTE (`released_attempt`), to fold into the statement a success writes anyway. */
  releasePart(attempt: Attempt): Prisma.Sql {
    return this.store.deletePart(attempt.id);
  }

  /**
   * The check of an attempt failed: its claim stays as the failure. When that failure starts a
   * lock, it is counted, logged and audited (`identifier` only for accounts that do not exist).
   */
  async reportFailure(verdict: Extract<AttemptVerdict, { allowed: true }>, origin: AuditOrigin, identifier?: string): Promise<void> {
    if (!verdict.lockIfFails.locked) return;
    const { attempt, lockIfFails } = verdict;
    this.metrics.lockouts.inc();
    this.logger.warn({ accountKey: attempt.accountKey, ip: origin.ip, lockedForSeconds: lockIfFails.retryAfterSeconds, reqId: origin.requestId }, "repeated failed sign-ins: account locked");
    await this.audit.record({
      type: AuditEventType.ACCOUNT_LOCKED,
      userId: attempt.userId,
      origin,
      metadata: { lockedForSeconds: lockIfFails.retryAfterSeconds, ...(attempt.userId || identifier === undefined ? {} : { identifier: identifier.slice(0, 254) }) },
    });
  }

  /**
   * Runs one check of a signed-in user's secret (password, one-time code) as an attempt on the
   * account's lockout: throws ACCOUNT_LOCKED without calling `check` while the account is
   * locked (or the threshold is reached by checks in flight). A result of false, null or
   * undefined counts as a failure; any other releases the claim. A thrown check counts for nothing.
   */
  async withAttempt<T>(userId: string, origin: AuditOrigin, check: () => Promise<T>): Promise<T> {
    const verdict = await this.claim(userId, origin.ip);
    if (!verdict.allowed) throw Errors.accountLocked(verdict.lock.retryAfterSeconds);
    let result: T;
    try {
      result = await check();
    } catch (error) {
      await this.release(verdict.attempt);
      throw error;
    }
    if (result !== false && result !== null && result !== undefined) await this.release(verdict.attempt);
    else await this.reportFailure(verdict, origin);
    return result;
  }

  /** Failures older than a day no longer count for anything. */
  async prune(): Promise<number> {
    return this.store.deleteOlderThan(new Date(this.clock.now().getTime() - DAY_MS));
  }

  /** Whether the counts mean a lock at `now`, and for how much longer. */
  evaluate(row: FailureCounts | undefined, now: Date): LockState {
    if (!row || !row.latest || row.recent < this.policy.threshold) return { locked: false, retryAfterSeconds: 0 };
    const level = Math.floor(row.day / this.policy.threshold) - 1;
    const lockMs = Math.min(this.policy.baseMs * 2 ** Math.min(level, 30), this.policy.maxMs);
    const remaining = row.latest.getTime() + lockMs - now.getTime();
    return remaining > 0 ? { locked: true, retryAfterSeconds: Math.ceil(remaining / 1000) } : { locked: false, retryAfterSeconds: 0 };
  }

  /** The moments the counts at `now` look back to. */
  private windows(now: Date): CountWindows {
    return {
      daySince: new Date(now.getTime() - DAY_MS),
      recentSince: new Date(now.getTime() - this.policy.windowMs),
      trustedSince: new Date(now.getTime() - this.policy.trustedIpMs),
    };
  }

  /** The database said locked; at the edge of the lock the clock may say just over. */
  private lockedAtLeastASecond(lock: LockState): LockState {
    return lock.locked ? lock : { locked: true, retryAfterSeconds: 1 };
  }
}

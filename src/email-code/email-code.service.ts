import { randomInt } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { AppError, ErrorCode, Errors } from "../common/app-error";
import type { KeyedHash } from "../common/keyed-hash";
import { randomToken, safeEqual, sha256 } from "../common/tokens";
import type { RateLimit } from "../config";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { normalizeEmail, type AccountService } from "../accounts";
import type { MailTemplates, Outbox } from "../mail";
import type { Metrics } from "../metrics";
import type { SignInService } from "../sign-in";
import type { EmailCodeStore } from "./email-code.store";

/**
 * Eight digits: each challenge takes at most MAX_ATTEMPTS codes, so one challenge is guessed
 * with a chance of 5 in 10^8. Six digits would make that 5 in 10^6, and with the per-address
 * limit (10 challenges an hour by default) a year of patient guessing would then win about
 * one time in three; with eight it stays under one in 200.
 */
export const CODE_LENGTH = 8;
/** Wrong codes a challenge takes; the last one spends it. */
export const MAX_ATTEMPTS = 5;
// No stored address is longer; no challenge token is longer (43 characters).
const MAX_EMAIL_LENGTH = 254;
const MAX_TOKEN_LENGTH = 128;

export interface EmailCodePolicy {
  /** How long a code works (EMAIL_CODE_TTL). */
  ttlMs: number;
  /** Challenges one address may get per window, from any IP (RATE_LIMIT_EMAIL_CODE_ADDRESS); null: no limit. */
  perAddress: RateLimit | null;
}

export interface EmailCodeChallengeData {
  challengeToken: string;
  expiresAt: Date;
  codeLength: number;
}

export type EmailCodeSignInResult = Awaited<ReturnType<SignInService["signInProven"]>>;

/** Every failed try answers alike: an unknown, used, expired or exhausted challenge, or a wrong code. */
function invalidCode(attemptsLeft: number): AppError {
  return new AppError(ErrorCode.UNAUTHENTICATED, "Invalid or expired code", { attemptsLeft });
}

/**
 * Sign-in with a code mailed to the account's verified address, for a device where following
 * a link is awkward. requestEmailCode answers every well-formed address with a challenge of the
 * same shape, doing the same work (a challenge row, a mail or a decoy statement, an audit
 * event); only an account's verified address receives a code. The code is stored as an HMAC
 * under a key derived from APP_SECRET and bound to its challenge, so a database dump cannot
 * be searched for it. Each try is counted before the code is compared.
 */
export class EmailCodeService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: EmailCodeStore,
    private readonly accounts: AccountService,
    private readonly signIn: SignInService,
    private readonly outbox: Outbox,
    private readonly templates: MailTemplates,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    /** Keyed hash of the normalized address (per-address limit, the address still being the account's). */
    private readonly addressKey: KeyedHash,
    /** Keyed hash of a code bound to its challenge. */
    private readonly codeKey: KeyedHash,
    private readonly policy: EmailCodePolicy,
  ) {}

  async request(email: string, origin: AuditOrigin): Promise<EmailCodeChallengeData> {
    const normalized = normalizeEmail(email.trim());
    if (normalized.length === 0 || normalized.length > MAX_EMAIL_LENGTH || !normalized.includes("@")) {
      throw Errors.badInput("email", "Give an e-mail address of at most 254 characters");
    }
    // Only the verified holder of the address: an address someone typed at sign-up without
    // proving the mailbox must not become a way into that account.
    const holders = await this.accounts.liveHoldersOfEmail(normalized);
    const holder = holders[0]?.emailVerified && holders[0].email ? holders[0] : undefined;
    const user = holder && !this.accounts.isDisabled(holder) ? holder : undefined;

    const now = this.clock.now();
    const challengeToken = randomToken();
    const tokenHash = sha256(challengeToken);
    const code = randomInt(0, 10 ** CODE_LENGTH).toString().padStart(CODE_LENGTH, "0");
    const addressHash = this.addressKey.hash(normalized);
    const expiresAt = new Date(now.getTime() + this.policy.ttlMs);

    await this.prisma.$transaction(async (tx) => {
      const limit = this.policy.perAddress;
      if (limit) {
        await this.store.lockAddress(tx, addressHash);
        const recent = await this.store.recentRequestTimes(tx, addressHash, new Date(now.getTime() - limit.windowMs), limit.max);
        if (recent.length >= limit.max) {
          const freeing = recent[recent.length - 1].getTime() + limit.windowMs;
          throw Errors.rateLimited(Math.max(1, Math.ceil((freeing - now.getTime()) / 1000)));
        }
      }
      // An address without a (verified, enabled) account gets a challenge too, with a code
      // nobody is told: it takes wrong codes like any other and never signs in.
      const challengeId = await this.store.insert(tx, {
        tokenHash,
        userId: user?.id ?? null,
        addressHash,
        codeHash: this.codeHash(tokenHash, code),
        expiresAt,
        createdAt: now,
      });
      if (user) {
        await this.outbox.queue(tx, { to: user.email!, ...this.templates.emailCode({ username: user.username, code, validForMs: this.policy.ttlMs }) });
      } else {
        await this.outbox.queueDecoy(tx);
      }
      await this.audit.record({ type: AuditEventType.EMAIL_CODE_REQUESTED, userId: user?.id ?? null, origin, metadata: { challengeId } }, tx);
    });
    return { challengeToken, expiresAt, codeLength: CODE_LENGTH };
  }

  /**
   * Signs in with a challenge and its code. The try is counted first; the right code spends
   * the challenge (of two racing, one wins), the last allowed wrong one leaves it spent. Then
   * the sign-in goes on as any other: a TwoFactorChallenge when the account has a second factor.
   */
  async signInWithCode(
    challengeToken: string,
    code: string,
    options: { expiresInMinutes?: number | null; cookie?: boolean | null },
    origin: AuditOrigin,
  ): Promise<EmailCodeSignInResult> {
    const digits = code.replace(/[\s-]/g, "");
    if (!new RegExp(`^[0-9]{${CODE_LENGTH}}$`).test(digits)) {
      throw Errors.badInput("code", `The code is the ${CODE_LENGTH} digits from the mail`);
    }
    // Checked before a try is counted, so a bad lifetime costs none.
    const accessTtlSeconds = this.signIn.accessLifetimeSeconds(options.expiresInMinutes);
    if (challengeToken.length === 0 || challengeToken.length > MAX_TOKEN_LENGTH) return this.fail(null, null, 0, origin);

    const now = this.clock.now();
    const tokenHash = sha256(challengeToken);
    const claimed = await this.store.claimAttempt(tokenHash, now, MAX_ATTEMPTS);
    if (!claimed) return this.fail(null, null, 0, origin);
    const right = safeEqual(this.codeHash(tokenHash, digits), claimed.codeHash);
    if (!right || !claimed.userId) return this.fail(claimed.userId, claimed.id, MAX_ATTEMPTS - claimed.failedAttempts, origin);

    // The code went to the account's verified address: it is dead once that is no longer so.
    const user = await this.accounts.findById(claimed.userId);
    if (!user || !user.emailVerified || !user.emailNormalized || !safeEqual(this.addressKey.hash(user.emailNormalized), claimed.addressHash)) {
      await this.store.retire(claimed.id, now);
      return this.fail(claimed.userId, claimed.id, 0, origin, "ADDRESS_CHANGED");
    }
    if (!(await this.store.spend(claimed.id, now))) return this.fail(claimed.userId, claimed.id, 0, origin, "ALREADY_USED");
    // Only a caller who holds the code learns that the account is disabled.
    if (this.signIn.isDisabled(user)) {
      await this.audit.record({ type: AuditEventType.LOGIN_FAILED, userId: user.id, origin, metadata: { method: "EMAIL_CODE", reason: "ACCOUNT_DISABLED" } });
      throw Errors.accountDisabled(user.disabledUntil);
    }
    return this.signIn.signInProven(
      user,
      { accessTtlSeconds, auditMetadata: { method: "EMAIL_CODE", challengeId: claimed.id }, method: "EMAIL_CODE", cookie: options.cookie === true },
      origin,
    );
  }

  /** Deletes challenges that expired and no longer count toward the per-address limit. */
  prune(): Promise<number> {
    const keepMs = this.policy.perAddress?.windowMs ?? 0;
    return this.store.pruneExpiredBefore(new Date(this.clock.now().getTime() - keepMs));
  }

  /** Erases the user's challenges with their account (an eraser of account deletion). */
  eraseForUser(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    return this.store.deleteAllForUser(tx, userId);
  }

  private codeHash(tokenHash: string, code: string): string {
    return this.codeKey.hash(`${tokenHash}:${code}`);
  }

  /** Audits a failed try on a known challenge (never the code) and answers like every other failure. */
  private async fail(userId: string | null, challengeId: string | null, attemptsLeft: number, origin: AuditOrigin, reason?: string): Promise<never> {
    this.metrics.logins.inc({ result: "failure" });
    if (challengeId) {
      await this.audit.record({
        type: AuditEventType.EMAIL_CODE_FAILED,
        userId,
        origin,
        metadata: { challengeId, attemptsLeft, ...(reason ? { reason } : {}) },
      });
      if (!reason && attemptsLeft === 0) {
        await this.audit.record({ type: AuditEventType.EMAIL_CODE_EXHAUSTED, userId, origin, metadata: { challengeId } });
      }
    }
    throw invalidCode(attemptsLeft);
  }
}

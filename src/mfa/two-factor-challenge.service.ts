import type { PrismaClient, Prisma } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { randomToken, sha256 } from "../common/tokens";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
import type { SecondFactorMethod } from "./second-factor.service";
import type { OtpMethod } from "./otp";

export const TWO_FACTOR_CHALLENGE_TTL_MS = 5 * 60_000;
/** The fifth wrong code voids the challenge; the caller must sign in with the password again. */
export const TWO_FACTOR_CHALLENGE_MAX_ATTEMPTS = 5;

/** What the password sign-in asked for, honoured when the second factor completes it. */
export interface ChallengeTerms {
  accessTtlSeconds: number;
  cookie: boolean;
}

export interface TwoFactorChallengeData {
  challengeToken: string;
  methods: SecondFactorMethod[];
  expiresAt: Date;
}

export interface OpenChallenge {
  id: string;
  userId: string;
  terms: ChallengeTerms;
}

const PURPOSE = "TWO_FACTOR_CHALLENGE" as const;

/**
 * Login challenges: after the password, a short-lived single-use token bound to the user,
 * stored only as a hash, with the number of wrong codes tried against it.
 */
export class TwoFactorChallengeService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A challenge for a user who proved the password, or undefined when two-factor authentication is off. */
  async issueIfEnabled(userId: string, terms: ChallengeTerms): Promise<TwoFactorChallengeData | undefined> {
    const twoFactor = await this.prisma.twoFactor.findUnique({ where: { userId }, select: { method: true, enabledAt: true } });
    return twoFactor?.enabledAt ? this.issue(userId, twoFactor.method, terms) : undefined;
  }

  /** A challenge for a user whose two-factor method the caller already read (password sign-in reads it with the user). */
  async issue(userId: string, method: OtpMethod, terms: ChallengeTerms): Promise<TwoFactorChallengeData> {
    const challengeToken = randomToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + TWO_FACTOR_CHALLENGE_TTL_MS);
    await this.prisma.oneTimeToken.create({
      data: { userId, purpose: PURPOSE, tokenHash: sha256(challengeToken), subject: JSON.stringify(terms), expiresAt, createdAt: now },
    });
    return { challengeToken, methods: [method, "RECOVERY_CODE"], expiresAt };
  }

  /** The live challenge a token stands for; unknown, used, voided and expired ones are all refused alike. */
  async open(challengeToken: string): Promise<OpenChallenge> {
    const row = await this.prisma.oneTimeToken.findUnique({ where: { tokenHash: sha256(challengeToken) } });
    if (!row || row.purpose !== PURPOSE || row.usedAt || row.expiresAt <= this.clock.now()) throw Errors.invalidTwoFactorChallenge();
    const terms = JSON.parse(row.subject ?? "{}") as Partial<ChallengeTerms>;
    if (typeof terms.accessTtlSeconds !== "number") throw Errors.invalidTwoFactorChallenge();
    return { id: row.id, userId: row.userId, terms: { accessTtlSeconds: terms.accessTtlSeconds, cookie: terms.cookie === true } };
  }

  /** Uses the challenge up inside the caller's transaction; false when it is no longer live. */
  async consume(tx: Prisma.TransactionClient, id: string): Promise<boolean> {
    const now = this.clock.now();
    const { count } = await tx.oneTimeToken.updateMany({
      where: { id, purpose: PURPOSE, usedAt: null, expiresAt: { gt: now }, attempts: { lt: TWO_FACTOR_CHALLENGE_MAX_ATTEMPTS } },
      data: { usedAt: now },
    });
    return count === 1;
  }

  /** Counts a wrong code (atomically, so parallel guesses all count); the fifth voids the challenge. */
  async recordFailure(challenge: OpenChallenge, origin: AuditOrigin): Promise<void> {
    const now = this.clock.now();
    await this.prisma.$transaction(async (tx) => {
      const [bumped] = await tx.oneTimeToken.updateManyAndReturn({
        where: { id: challenge.id, usedAt: null },
        data: { attempts: { increment: 1 } },
        select: { attempts: true },
      });
      if (!bumped) return;
      const voided = bumped.attempts >= TWO_FACTOR_CHALLENGE_MAX_ATTEMPTS;
      if (voided) await tx.oneTimeToken.updateMany({ where: { id: challenge.id, usedAt: null }, data: { usedAt: now } });
      await this.audit.record(
        { type: AuditEventType.TWO_FACTOR_CHALLENGE_FAILED, userId: challenge.userId, origin, metadata: { attempts: bumped.attempts, voided } },
        tx,
      );
    });
  }

  /** Voids the user's open challenges (two-factor authentication was turned off). */
  async voidAllForUser(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    await tx.oneTimeToken.updateMany({ where: { userId, purpose: PURPOSE, usedAt: null }, data: { usedAt: this.clock.now() } });
  }

  /** Deletes challenges past their expiry; safe to run from several processes at once. */
  async prune(): Promise<number> {
    const { count } = await this.prisma.oneTimeToken.deleteMany({ where: { purpose: PURPOSE, expiresAt: { lt: this.clock.now() } } });
    return count;
  }
}

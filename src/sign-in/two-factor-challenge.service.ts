import type { PrismaClient, Prisma, TwoFactorMethod } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { randomToken, sha256 } from "../common/tokens";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { TwoFactorChallengeStore } from "./two-factor-challenge.store";
import { SIGN_IN_METHODS, type SignInMethodName } from "./sign-in-method";

export const TWO_FACTOR_CHALLENGE_TTL_MS = 5 * 60_000;
/** The fifth wrong code voids the challenge; the caller must sign in with the password again. */
export const TWO_FACTOR_CHALLENGE_MAX_ATTEMPTS = 5;

/** What a challenge accepts: a code from the enrolled authenticator, or a recovery code. */
export type ChallengeMethod = TwoFactorMethod | "RECOVERY_CODE";

/** What the first step asked for, honoured when the second factor completes it. */
export interface ChallengeTerms {
  accessTtlSeconds: number;
  cookie: boolean;
  /** How the first step proved who signs in: the completed sign-in records it (User.lastSignInMethod). */
  method: SignInMethodName;
}

export interface TwoFactorChallengeData {
  challengeToken: string;
  methods: ChallengeMethod[];
  expiresAt: Date;
}

export interface OpenChallenge {
  id: string;
  userId: string;
  terms: ChallengeTerms;
}

/**
 * Login challenges: after the password, a short-lived single-use token bound to the user,
 * stored only as a hash, with the number of wrong codes tried against it.
 */
export class TwoFactorChallengeService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: TwoFactorChallengeStore,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A challenge for a user whose two-factor method the caller already read (password sign-in reads it with the user). */
  async issue(userId: string, method: TwoFactorMethod, terms: ChallengeTerms): Promise<TwoFactorChallengeData> {
    const challengeToken = randomToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + TWO_FACTOR_CHALLENGE_TTL_MS);
    await this.store.insert({ userId, tokenHash: sha256(challengeToken), subject: JSON.stringify(terms), expiresAt, createdAt: now });
    return { challengeToken, methods: [method, "RECOVERY_CODE"], expiresAt };
  }

  /** The live challenge a token stands for; unknown, used, voided and expired ones are all refused alike. */
  async open(challengeToken: string): Promise<OpenChallenge> {
    const row = await this.store.findByTokenHash(sha256(challengeToken));
    if (!row || row.usedAt || row.expiresAt <= this.clock.now()) throw Errors.invalidTwoFactorChallenge();
    const terms = JSON.parse(row.subject ?? "{}") as Partial<ChallengeTerms>;
    if (typeof terms.accessTtlSeconds !== "number") throw Errors.invalidTwoFactorChallenge();
    // A challenge issued before the method was recorded came from the password step.
    const method = typeof terms.method === "string" && SIGN_IN_METHODS.has(terms.method) ? terms.method : "PASSWORD";
    return { id: row.id, userId: row.userId, terms: { accessTtlSeconds: terms.accessTtlSeconds, cookie: terms.cookie === true, method } };
  }

  /** Uses the challenge up inside the caller's transaction; false when it is no longer live. */
  consume(tx: Prisma.TransactionClient, id: string): Promise<boolean> {
    return this.store.consume(tx, id, this.clock.now(), TWO_FACTOR_CHALLENGE_MAX_ATTEMPTS);
  }

  /** Counts a wrong code (atomically, so parallel guesses all count); the fifth voids the challenge. */
  async recordFailure(challenge: OpenChallenge, origin: AuditOrigin): Promise<void> {
    const now = this.clock.now();
    await this.prisma.$transaction(async (tx) => {
      const attempts = await this.store.bumpAttempts(tx, challenge.id);
      if (attempts === undefined) return;
      const voided = attempts >= TWO_FACTOR_CHALLENGE_MAX_ATTEMPTS;
      if (voided) await this.store.void(tx, challenge.id, now);
      await this.audit.record(
        { type: AuditEventType.TWO_FACTOR_CHALLENGE_FAILED, userId: challenge.userId, origin, metadata: { attempts, voided } },
        tx,
      );
    });
  }

  /** Voids the user's open challenges (two-factor authentication was turned off). */
  voidAllForUser(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    return this.store.voidAllForUser(tx, userId, this.clock.now());
  }

  /** Deletes challenges past their expiry; safe to run from several processes at once. */
  prune(): Promise<number> {
    return this.store.deleteExpired(this.clock.now());
  }
}

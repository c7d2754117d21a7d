import type { OneTimeToken, OneTimeTokenPurpose, Prisma, PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { randomToken, sha256 } from "../common/tokens";
import type { OneTimeTokenStore } from "./one-time-token.store";

type Db = PrismaClient | Prisma.TransactionClient;

export type TokenState = "valid" | "unknown" | "used" | "expired";

/**
 * Single-use link tokens (password reset, e-mail verification): 256 random bits handed out
 * once, stored only as SHA-256 and looked up by that hash, so no comparison can leak them.
 */
export class OneTimeTokenService {
  constructor(
    private readonly store: OneTimeTokenStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Issues a token inside the caller's transaction and returns the raw value (for the link).
   * Earlier unused tokens of the same purpose die with it: only the newest link works.
   */
  async issue(tx: Prisma.TransactionClient, input: { userId: string; purpose: OneTimeTokenPurpose; subject: string; ttlMs: number }): Promise<string> {
    const now = this.clock.now();
    await this.store.deleteRetired(tx, input.userId, input.purpose, now);
    const token = randomToken();
    await this.store.insert(tx, {
      userId: input.userId,
      purpose: input.purpose,
      tokenHash: sha256(token),
      subject: input.subject,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.ttlMs),
    });
    return token;
  }

  /** As many statements as `issue`, of the same kinds and on the same indexes, changing nothing. */
  issueDecoy(tx: Prisma.TransactionClient, purpose: OneTimeTokenPurpose): Promise<void> {
    return this.store.issueDecoy(tx, purpose, sha256(randomToken()));
  }

  /** The stored row for a presented token and what state it is in. */
  async find(token: string, purpose: OneTimeTokenPurpose): Promise<{ state: TokenState; row: OneTimeToken | null }> {
    const row = await this.store.findByHash(sha256(token));
    if (!row || row.purpose !== purpose) return { state: "unknown", row: null };
    if (row.usedAt) return { state: "used", row };
    if (row.expiresAt.getTime() <= this.clock.now().getTime()) return { state: "expired", row };
    return { state: "valid", row };
  }

  /**
   * Marks the token used, atomically: of two requests racing with one token exactly one gets
   * true. Call inside the transaction that applies the token's effect.
   */
  consume(db: Db, id: string): Promise<boolean> {
    return this.store.markUsed(db, id, this.clock.now());
  }

  /** Retires every unused token of a purpose for a user (e.g. reset links after any password reset). */
  revokeAll(db: Db, userId: string, purpose: OneTimeTokenPurpose): Promise<void> {
    return this.store.markAllUsed(db, userId, purpose, this.clock.now());
  }
}

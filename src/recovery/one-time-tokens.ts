import type { OneTimeToken, OneTimeTokenPurpose, Prisma, PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { randomToken, sha256 } from "../common/tokens";

type Db = PrismaClient | Prisma.TransactionClient;

export type TokenState = "valid" | "unknown" | "used" | "expired";

/**
 * Single-use link tokens (password reset, e-mail verification): 256 random bits handed out
 * once, stored only as SHA-256 and looked up by that hash, so no comparison can leak them.
 */
export class OneTimeTokens {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Issues a token inside the caller's transaction and returns the raw value (for the link).
   * Earlier unused tokens of the same purpose die with it: only the newest link works.
   */
  async issue(tx: Prisma.TransactionClient, input: { userId: string; purpose: OneTimeTokenPurpose; subject: string; ttlMs: number }): Promise<string> {
    const now = this.clock.now();
    await tx.oneTimeToken.deleteMany({
      where: { userId: input.userId, purpose: input.purpose, OR: [{ usedAt: null }, { expiresAt: { lte: now } }] },
    });
    const token = randomToken();
    await tx.oneTimeToken.create({
      data: {
        userId: input.userId,
        purpose: input.purpose,
        tokenHash: sha256(token),
        subject: input.subject,
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.ttlMs),
      },
      select: { id: true },
    });
    return token;
  }

  /** The stored row for a presented token and what state it is in. */
  async find(token: string, purpose: OneTimeTokenPurpose): Promise<{ state: TokenState; row: OneTimeToken | null }> {
    const row = await this.prisma.oneTimeToken.findUnique({ where: { tokenHash: sha256(token) } });
    if (!row || row.purpose !== purpose) return { state: "unknown", row: null };
    if (row.usedAt) return { state: "used", row };
    if (row.expiresAt.getTime() <= this.clock.now().getTime()) return { state: "expired", row };
    return { state: "valid", row };
  }

  /**
   * Marks the token used, atomically: of two requests racing with one token exactly one gets
   * true. Call inside the transaction that applies the token's effect.
   */
  async consume(db: Db, id: string): Promise<boolean> {
    const now = this.clock.now();
    const { count } = await db.oneTimeToken.updateMany({
      where: { id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    return count === 1;
  }

  /** Retires every unused token of a purpose for a user (e.g. reset links after any password reset). */
  async revokeAll(db: Db, userId: string, purpose: OneTimeTokenPurpose): Promise<void> {
    await db.oneTimeToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: this.clock.now() } });
  }
}

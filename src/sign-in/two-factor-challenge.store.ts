import type { OneTimeToken, Prisma, PrismaClient } from "../generated/prisma/client";

const PURPOSE = "TWO_FACTOR_CHALLENGE" as const;

export const CHALLENGE_COLUMNS = [
  "id", "userId", "purpose", "subject", "expiresAt", "usedAt", "attempts",
] as const satisfies ReadonlyArray<keyof OneTimeToken>;

export type ChallengeRow = Pick<OneTimeToken, (typeof CHALLENGE_COLUMNS)[number]>;

const CHALLENGE_SELECT = Object.fromEntries(CHALLENGE_COLUMNS.map((column) => [column, true])) as { [K in (typeof CHALLENGE_COLUMNS)[number]]: true };

/**
 * Statements on the TWO_FACTOR_CHALLENGE rows of OneTimeToken: the pending second step of a
 * sign-in. Every statement here names that purpose; the table's other purposes (reset,
 * verification) are account recovery's.
 */
export class TwoFactorChallengeStore {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(row: { userId: string; tokenHash: string; subject: string; expiresAt: Date; createdAt: Date }): Promise<void> {
    await this.prisma.oneTimeToken.create({ data: { ...row, purpose: PURPOSE } });
  }

  /** The challenge a token hash stands for, whatever its state; null for none (or another purpose's token). */
  async findByTokenHash(tokenHash: string): Promise<ChallengeRow | null> {
    const row = await this.prisma.oneTimeToken.findUnique({ where: { tokenHash }, select: CHALLENGE_SELECT });
    return row?.purpose === PURPOSE ? row : null;
  }

  /** Uses a live challenge up in the caller's transaction; false when it is no longer live. */
  async consume(tx: Prisma.TransactionClient, id: string, now: Date, maxAttempts: number): Promise<boolean> {
    const { count } = await tx.oneTimeToken.updateMany({
      where: { id, purpose: PURPOSE, usedAt: null, expiresAt: { gt: now }, attempts: { lt: maxAttempts } },
      data: { usedAt: now },
    });
    return count === 1;
  }

  /** Counts one wrong code (atomically); the count afterwards, or undefined when the challenge was used. */
  async bumpAttempts(tx: Prisma.TransactionClient, id: string): Promise<number | undefined> {
    const [bumped] = await tx.oneTimeToken.updateManyAndReturn({
      where: { id, usedAt: null },
      data: { attempts: { increment: 1 } },
      select: { attempts: true },
    });
    return bumped?.attempts;
  }

  /** Marks one unused challenge used (voided). */
  async void(tx: Prisma.TransactionClient, id: string, now: Date): Promise<void> {
    await tx.oneTimeToken.updateMany({ where: { id, usedAt: null }, data: { usedAt: now } });
  }

  /** Marks the user's unused challenges used. */
  async voidAllForUser(tx: Prisma.TransactionClient, userId: string, now: Date): Promise<void> {
    await tx.oneTimeToken.updateMany({ where: { userId, purpose: PURPOSE, usedAt: null }, data: { usedAt: now } });
  }

  /** Deletes challenges that expired before `now`. */
  async deleteExpired(now: Date): Promise<number> {
    return (await this.prisma.oneTimeToken.deleteMany({ where: { purpose: PURPOSE, expiresAt: { lt: now } } })).count;
  }
}

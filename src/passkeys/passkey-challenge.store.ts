import type { PasskeyChallenge, PrismaClient } from "../generated/prisma/client";

/** A challenge as begin stores it. */
export type NewPasskeyChallenge = Pick<PasskeyChallenge, "ceremony" | "lookupHash" | "challenge" | "userId" | "createdAt" | "expiresAt">;

/** PasskeyChallenge rows: WebAuthn challenges between begin and finish, found by a lookup hash. */
export class PasskeyChallengeStore {
  constructor(private readonly prisma: PrismaClient) {}

  async create(challenge: NewPasskeyChallenge): Promise<void> {
    await this.prisma.passkeyChallenge.create({ data: challenge, select: { id: true } });
  }

  findByLookupHash(lookupHash: string): Promise<PasskeyChallenge | null> {
    return this.prisma.passkeyChallenge.findUnique({ where: { lookupHash } });
  }

  /** Marks a challenge used if it is still unused and live at `now`; false when another request took it first. */
  async markUsed(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.passkeyChallenge.updateMany({
      where: { id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    return count === 1;
  }

  /** Deletes challenges expired at `now`, used or not; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const { count } = await this.prisma.passkeyChallenge.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }
}


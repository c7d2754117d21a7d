import type { PrismaClient, Prisma } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { newRecoveryCodes, normalizeRecoveryCode, recoveryCodeHash } from "./recovery-codes";

type Db = PrismaClient | Prisma.TransactionClient;

/** Recovery codes: stored only as hashes, each usable once. */
export class RecoveryCodeService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /** Replaces every code of the user with fresh ones inside the caller's transaction; returns them, once. */
  async replaceAll(tx: Prisma.TransactionClient, userId: string): Promise<string[]> {
    const codes = newRecoveryCodes();
    const now = this.clock.now();
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({
      data: codes.map((code) => ({ userId, codeHash: recoveryCodeHash(userId, normalizeRecoveryCode(code)!), createdAt: now })),
    });
    return codes;
  }

  /** The id of the user's unused code matching what was typed, found by hash. */
  async findUnused(userId: string, typed: string, db: Db = this.prisma): Promise<string | undefined> {
    const canonical = normalizeRecoveryCode(typed);
    if (!canonical) return undefined;
    const row = await db.recoveryCode.findFirst({
      where: { userId, codeHash: recoveryCodeHash(userId, canonical), usedAt: null },
      select: { id: true },
    });
    return row?.id;
  }

  /** Marks a code used; false when a concurrent request used it first. */
  async consume(tx: Prisma.TransactionClient, id: string): Promise<boolean> {
    const { count } = await tx.recoveryCode.updateMany({ where: { id, usedAt: null }, data: { usedAt: this.clock.now() } });
    return count === 1;
  }

  deleteAll(tx: Prisma.TransactionClient, userId: string): Promise<unknown> {
    return tx.recoveryCode.deleteMany({ where: { userId } });
  }
}

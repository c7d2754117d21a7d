import { Prisma, type PrismaClient, type RecoveryCode } from "../generated/prisma/client";
import { KEYED_PREFIX } from "./backup-codes";

type Db = PrismaClient | Prisma.TransactionClient;

/** A stored value rewritten in place: only while the row still holds `legacy`. */
export interface HashUpgrade {
  id: string;
  legacy: string;
  keyed: string;
}

/** The RecoveryCode table (backup codes; the API's recovery codes): hashes only, each used once. */
export class BackupCodeStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Replaces every code of the user with these hashes, inside the caller's transaction. */
  async replaceAll(tx: Prisma.TransactionClient, userId: string, codeHashes: string[], createdAt: Date): Promise<void> {
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ userId, codeHash, createdAt })) });
  }

  /** The user's unused codes (a handful), to compare with what was typed. */
  unused(userId: string, db: Db = this.prisma): Promise<Array<Pick<RecoveryCode, "id" | "codeHash">>> {
    return db.recoveryCode.findMany({ where: { userId, usedAt: null }, select: { id: true, codeHash: true } });
  }

  /** Marks a code used; false when a concurrent request used it first. */
  async markUsed(tx: Prisma.TransactionClient, id: string, at: Date): Promise<boolean> {
    const { count } = await tx.recoveryCode.updateMany({ where: { id, usedAt: null }, data: { usedAt: at } });
    return count === 1;
  }

  async deleteForUser(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    await tx.recoveryCode.deleteMany({ where: { userId } });
  }

  /** Up to `limit` rows still holding a legacy (unkeyed) digest, in id order. */
  legacyRows(limit: number): Promise<Array<Pick<RecoveryCode, "id" | "codeHash">>> {
    return this.prisma.recoveryCode.findMany({
      where: { NOT: { codeHash: { startsWith: KEYED_PREFIX } } },
      select: { id: true, codeHash: true },
      orderBy: { id: "asc" },
      take: limit,
    });
  }

  /**
   * Rewrites legacy digests by their keyed hashes in one statement (every row of it changes, or
   * none), each only while it still holds the digest read; returns how many rows changed.
   */
  rewriteHashes(upgrades: HashUpgrade[]): Promise<number> {
    const values = Prisma.join(upgrades.map((row) => Prisma.sql`(${row.id}, ${row.legacy}, ${row.keyed})`));
    return this.prisma.$executeRaw`
      UPDATE "RecoveryCode" AS r SET "codeHash" = v.keyed
      FROM (VALUES ${values}) AS v(id, legacy, keyed)
      WHERE r.id = v.id AND r."codeHash" = v.legacy`;
  }
}

import type { AvatarImage, Prisma, PrismaClient } from "../generated/prisma/client";

type Tx = Prisma.TransactionClient;

export type AvatarImageRow = Pick<AvatarImage, "userId" | "format" | "bytes" | "hash" | "updatedAt">;

/** Rows swept per maintenance run; the rest wait for the next one. */
const SWEEP_BATCH = 500;

/** Every statement on AvatarImage (AVATAR_STORAGE=database). */
export class AvatarImageStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Writes the user's one avatar row, replacing the previous image whatever its format. */
  async put(tx: Tx, row: AvatarImageRow): Promise<void> {
    const { userId, ...image } = row;
    await tx.avatarImage.upsert({ where: { userId }, create: row, update: image });
  }

  async remove(tx: Tx, userId: string): Promise<void> {
    await tx.avatarImage.deleteMany({ where: { userId } });
  }

  /**
   * The avatar's hash, and its bytes unless the hash is one of `cached` (or `cached` holds "*"):
   * one round trip, and a client with a current copy costs no bytes read.
   */
  async read(userId: string, format: string, cached: readonly string[]): Promise<{ hash: string; bytes: Uint8Array | null } | undefined> {
    const tags = [...cached];
    const rows = await this.prisma.$queryRaw<Array<{ hash: string; bytes: Uint8Array | null }>>`
      SELECT a.hash, CASE WHEN a.hash = ANY(${tags}::text[]) OR '*' = ANY(${tags}::text[]) THEN NULL ELSE a.bytes END AS bytes
      FROM "AvatarImage" a WHERE a."userId" = ${userId} AND a.format = ${format}`;
    return rows[0];
  }

  /**
   * Deletes rows the user row no longer names (account deleted, avatar removed or replaced while
   * AVATAR_STORAGE was filesystem), so switching back never serves them. The users are locked
   * first, as every avatar change locks them, and the DELETE checks again under those locks.
   */
  sweepUnnamed(): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const stale = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT u.id FROM "User" u JOIN "AvatarImage" a ON a."userId" = u.id
        WHERE u."deletedAt" IS NOT NULL OR u."avatarExt" IS DISTINCT FROM a.format
        LIMIT ${SWEEP_BATCH} FOR UPDATE OF u SKIP LOCKED`;
      if (stale.length === 0) return 0;
      return tx.$executeRaw`
        DELETE FROM "AvatarImage" a USING "User" u
        WHERE u.id = a."userId" AND a."userId" = ANY(${stale.map((row) => row.id)}::text[])
          AND (u."deletedAt" IS NOT NULL OR u."avatarExt" IS DISTINCT FROM a.format)`;
    });
  }
}

import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { KeyedHash } from "../common/keyed-hash";
import { safeEqual } from "../common/tokens";
import { KEYED_PREFIX, keyedBackupCodeHash, legacyBackupCodeDigest, newBackupCodes, normalizeBackupCode } from "./backup-codes";
import type { BackupCodeStore } from "./backup-code.store";

type Db = PrismaClient | Prisma.TransactionClient;

/** Legacy rows upgraded per statement at start. */
const UPGRADE_BATCH = 500;

/** Backup codes (the API's recovery codes): stored only as keyed hashes (see backup-codes.ts), each usable once. */
export class BackupCodeService {
  constructor(
    private readonly store: BackupCodeStore,
    private readonly clock: Clock,
    private readonly key: KeyedHash,
  ) {}

  /** Replaces every code of the user with fresh ones inside the caller's transaction; returns them, once. */
  async replaceAll(tx: Prisma.TransactionClient, userId: string): Promise<string[]> {
    const codes = newBackupCodes();
    const hashes = codes.map((code) => keyedBackupCodeHash(this.key, legacyBackupCodeDigest(userId, normalizeBackupCode(code)!)));
    await this.store.replaceAll(tx, userId, hashes, this.clock.now());
    return codes;
  }

  /**
   * The id of the user's unused code matching what was typed. The user's few unused codes are
   * read and each compared in constant time. A row not yet upgraded (written by an older
   * process during a rolling start) still matches by its legacy digest.
   */
  async findUnused(userId: string, typed: string, db?: Db): Promise<string | undefined> {
    const canonical = normalizeBackupCode(typed);
    if (!canonical) return undefined;
    const legacy = legacyBackupCodeDigest(userId, canonical);
    const keyed = keyedBackupCodeHash(this.key, legacy);
    const rows = await this.store.unused(userId, db);
    let found: string | undefined;
    for (const row of rows) {
      const expected = row.codeHash.startsWith(KEYED_PREFIX) ? keyed : legacy;
      if (safeEqual(row.codeHash, expected) && found === undefined) found = row.id;
    }
    return found;
  }

  /** Marks a code used; false when a concurrent request used it first. */
  consume(tx: Prisma.TransactionClient, id: string): Promise<boolean> {
    return this.store.markUsed(tx, id, this.clock.now());
  }

  deleteAll(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    return this.store.deleteForUser(tx, userId);
  }

  /**
   * Replaces every stored legacy (unkeyed) digest by its keyed hash; run at every start, before
   * the server listens. Idempotent: keyed values carry a prefix, and each row is rewritten only
   * while it still holds the digest read, so processes starting together cannot key a row
   * twice. Returns how many rows were upgraded.
   */
  async upgradeLegacyHashes(): Promise<number> {
    let upgraded = 0;
    for (;;) {
      const rows = await this.store.legacyRows(UPGRADE_BATCH);
      if (rows.length === 0) return upgraded;
      upgraded += await this.store.rewriteHashes(
        rows.map((row) => ({ id: row.id, legacy: row.codeHash, keyed: keyedBackupCodeHash(this.key, row.codeHash) })),
      );
    }
  }
}

import { Prisma, type Credential, type PrismaClient } from "../generated/prisma/client";

/** The client or a caller's transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;
export type CredentialKind = "PASSWORD" | "SECRET_PASSKEY";

/** Every Credential column, checked against the Prisma model (test/store_columns_match_prisma.test.ts). */
export const CREDENTIAL_COLUMNS = ["id", "userId", "kind", "hash", "isCurrent", "createdAt"] as const satisfies ReadonlyArray<keyof Credential>;

/** A current hash, as sign-in and the checks of a known secret read it. */
export interface CurrentHash {
  id: string;
  hash: string;
}

/** The columns passwordColumns() adds to a row: the current password, or nulls when there is none. */
export interface PasswordRow {
  credentialId: string | null;
  credentialHash: string | null;
}

/**
 * Locks the account's row for the rest of the transaction (accounts' UserStore.lock), so two
 * changes of one account's secrets run one after the other. Given by the composition:
 * credentials sit below accounts.
 */
export type UserRowLock = (tx: Prisma.TransactionClient, userId: string) => Promise<unknown>;

const ALIAS = /^[a-z_][a-z0-9_]*$/;
const alias = (name: string): Prisma.Sql => {
  if (!ALIAS.test(name)) throw new Error(`not a table alias: ${name}`);
  return Prisma.raw(name);
};

/**
 * Joins the current password credential of the user aliased `userAlias` as `as` (no row for a
 * passkey-only or provider-only account), for the one-statement sign-in read.
 */
export function passwordJoin(userAlias = "u", as = "c"): Prisma.Sql {
  return Prisma.sql`LEFT JOIN LATERAL (
    SELECT id, hash FROM "Credential" WHERE "userId" = ${alias(userAlias)}.id AND kind = 'PASSWORD' AND "isCurrent" LIMIT 1
  ) ${alias(as)} ON true`;
}

/** The joined password's columns, as PasswordRow names them. */
export function passwordColumns(as = "c"): Prisma.Sql {
  return Prisma.sql`${alias(as)}.id AS "credentialId", ${alias(as)}.hash AS "credentialHash"`;
}

/** The current password of a PasswordRow: one entry, or none. */
export function passwordFromRow(row: PasswordRow): CurrentHash[] {
  return row.credentialId && row.credentialHash ? [{ id: row.credentialId, hash: row.credentialHash }] : [];
}

/**
 * Credential: password and secret-passkey hashes, kept as history with one current row per
 * kind. Writes that must agree with other rows take the caller's transaction.
 */
export class CredentialStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** See passwordJoin() below. */
  passwordJoin(userAlias = "u", as = "c"): Prisma.Sql {
    return passwordJoin(userAlias, as);
  }

  /** See passwordColumns() below. */
  passwordColumns(as = "c"): Prisma.Sql {
    return passwordColumns(as);
  }

  /** See passwordFromRow() below. */
  passwordFromRow(row: PasswordRow): CurrentHash[] {
    return passwordFromRow(row);
  }

  /** The first credentials of a new account. */
  async createInitial(db: Db, userId: string, hashes: { password: string; secretPasskey: string }, createdAt: Date): Promise<void> {
    await db.credential.createMany({
      data: [
        { userId, kind: "PASSWORD", hash: hashes.password, isCurrent: true, createdAt },
        { userId, kind: "SECRET_PASSKEY", hash: hashes.secretPasskey, isCurrent: true, createdAt },
      ],
    });
  }

  /** The current hash of a credential kind, or null. */
  current(userId: string, kind: CredentialKind, db: Db = this.prisma): Promise<CurrentHash | null> {
    return db.credential.findFirst({ where: { userId, kind, isCurrent: true }, select: { id: true, hash: true } });
  }

  /** The hashes of the `depth` most recent passwords, the current one included, newest first. */
  async recentPasswordHashes(userId: string, depth: number): Promise<string[]> {
    const rows = await this.prisma.credential.findMany({
      where: { userId, kind: "PASSWORD" },
      orderBy: { createdAt: "desc" },
      take: depth,
      select: { hash: true },
    });
    return rows.map((row) => row.hash);
  }

  /** Makes `hash` the one current credential of its kind (the previous one stays as history). */
  async replaceCurrent(tx: Prisma.TransactionClient, userId: string, kind: CredentialKind, hash: string, createdAt: Date): Promise<void> {
    await tx.credential.updateMany({ where: { userId, kind, isCurrent: true }, data: { isCurrent: false } });
    await tx.credential.create({ data: { userId, kind, hash, isCurrent: true, createdAt } });
  }

  /** Leaves no current credential of the kind (history kept); true when there was one. */
  async clearCurrent(tx: Prisma.TransactionClient, userId: string, kind: CredentialKind): Promise<boolean> {
    const { count } = await tx.credential.updateMany({ where: { userId, kind, isCurrent: true }, data: { isCurrent: false } });
    return count > 0;
  }

  /**
   * How many current credentials of `kind` the account has, only those created before
   * `createdBefore` when given (sign-in-methods.ts counts the ways in).
   */
  countCurrent(db: Db, userId: string, kind: CredentialKind, createdBefore?: Date): Promise<number> {
    return db.credential.count({ where: { userId, kind, isCurrent: true, ...(createdBefore ? { createdAt: { lt: createdBefore } } : {}) } });
  }

  /** Replaces one row's hash (same secret, rehashed), keeping its place in the history. */
  async replaceHash(credentialId: string, hash: string): Promise<void> {
    await this.prisma.credential.update({ where: { id: credentialId }, data: { hash } });
  }

  /** Every credential of the account, history included (account deletion). */
  async deleteAllForUser(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    await tx.credential.deleteMany({ where: { userId } });
  }

  /**
   * The current password as a way in (accounts' SignInMethods counts it with the other ways):
   * 1 or 0; `addedBefore`: only a password set before then.
   */
  countWaysIn(db: Db, userId: string, filter: { addedBefore?: Date | null } = {}): Promise<number> {
    return this.countCurrent(db, userId, "PASSWORD", filter.addedBefore ?? undefined);
  }
}

import { Prisma, type PrismaClient, type Profile, type Role, type SignInMethod, type User } from "../generated/prisma/client";
import { pickColumns, selectColumns } from "../db/columns";
import { utc } from "../db/sql-time";
import type { SqlRunner } from "../db/direct-sql";
import { passwordColumns, passwordFromRow, passwordJoin, type CurrentHash, type PasswordRow } from "../credentials";
import { identifierKind, normalizeEmail, normalizeUsername } from "./identity-rules";
import type { ProfileFields } from "./profile-rules";
import type { NoticeRecipientSql } from "../notices";

type Db = PrismaClient | Prisma.TransactionClient;
type Tx = Prisma.TransactionClient;

/**
 * THE user column list: every column of the User model, checked against Prisma's model by the
 * compiler (`satisfies`, and fromRow returning a whole User) and by
 * test/store_columns_match_prisma.test.ts. Every raw read of users goes through it, so a new
 * column reaches sign-in, refresh, the session check and admin search at once.
 */
export const USER_COLUMNS = [
  "id",
  "username",
  "usernameNormalized",
  "email",
  "emailNormalized",
  "emailVerified",
  "pendingEmail",
  "emailVerifiedAt",
  "role",
  "disabled",
  "disabledReason",
  "disabledUntil",
  "deletedAt",
  "avatarExt",
  "avatarVersion",
  "externalAvatarUrl",
  "lastLoginAt",
  "lastSignInMethod",
  "createdAt",
  "updatedAt",
] as const satisfies ReadonlyArray<keyof User>;

/** Every Profile column, checked the same way. */
export const PROFILE_COLUMNS = [
  "userId",
  "name",
  "contact",
  "address",
  "occupation",
  "hobby",
  "highestQualification",
  "dateOfBirth",
  "updatedAt",
] as const satisfies ReadonlyArray<keyof Profile>;

/** A raw row holding the user columns (and possibly others). */
export type UserRow = Pick<User, (typeof USER_COLUMNS)[number]>;

/** A user with its current password hash (none for provider- and passkey-only accounts). */
export type UserWithPassword = User & { credentials: CurrentHash[] };
/** A raw row of userColumns() plus the credential store's passwordColumns(). */
export type UserWithPasswordRow = UserRow & PasswordRow;

// The enums come back as text: the raw readers do not know PostgreSQL's "Role" type.
const USER_CASTS = { role: "text", lastSignInMethod: "text" } as const;

// The fragments and the statements that join a caller's transaction are also plain functions:
// the UserStore methods below are the way in, these serve the callers in other features that
// hold only a transaction until they are given the store (user-lock.ts and email-claims.ts
// build on them).

/**
 * The one live account an identifier names (username, e-mail or id; see signInMatch), as a
 * LATERAL subquery aliased `u` for the one-statement sign-in read (sign-in/sign-in.store.ts).
 */
export function signInLookupPart(identifier: string): Prisma.Sql {
  return Prisma.sql`(SELECT * FROM "User" u WHERE ${signInMatch(identifier)} AND u."deletedAt" IS NULL LIMIT 1) u`;
}

/** Joins the user `userId` (a SQL expression) names as `u`, for the statements that read a user with its session. */
export function userJoinPart(userId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`JOIN "User" u ON u.id = ${userId}`;
}

/**
 * Whether the account `userId` (a SQL expression) is an active ADMIN (enabled, not deleted), as a
 * boolean SQL expression: an impersonated session lasts only while its ADMIN is one (sessions/).
 */
export function activeAdminPart(userId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "User" a WHERE a.id = ${userId} AND a.role = 'ADMIN' AND NOT a.disabled AND a."deletedAt" IS NULL)`;
}

/** The user columns of the table aliased `alias`, in the shape Prisma returns a User. */
export function userColumns(alias = "u"): Prisma.Sql {
  return selectColumns(alias, USER_COLUMNS, USER_CASTS);
}

/**
 * Whether the user whose columns are `disabled` and `disabledUntil` (SQL expressions) is
 * disabled at `now`, as a SQL condition: isDisabledAt (account-ban.ts) for a statement that
 * decides and writes at once (refresh rotation).
 */
export function disabledAtPart(columns: { disabled: Prisma.Sql; disabledUntil: Prisma.Sql }, now: Date): Prisma.Sql {
  return Prisma.sql`(${columns.disabled} AND (${columns.disabledUntil} IS NULL OR ${columns.disabledUntil} > ${utc(now)}))`;
}

/** The User of a raw row that selected userColumns(), without the row's other columns. */
export function userFromRow(row: UserRow): User {
  return pickColumns(row, USER_COLUMNS);
}

/**
 * The account an e-mail address names for sign-in: its verified holder; else, when the address
 * is only claimed, the one account that claims it. Two accounts claiming one unverified address
 * make it name neither (sign in by username): the address proves nothing about which one is meant.
 */
function emailSignInMatch(emailNormalized: string): Prisma.Sql {
  return Prisma.sql`(u."emailNormalized" = ${emailNormalized} AND (u."emailVerified" OR NOT EXISTS (
    SELECT 1 FROM "User" other
    WHERE other."emailNormalized" = ${emailNormalized} AND other.id <> u.id AND other."deletedAt" IS NULL)))`;
}

/** The user row matching a sign-in identifier (username, e-mail or id), as a WHERE condition on `u`. */
export function signInMatch(identifier: string): Prisma.Sql {
  const value = identifier.trim();
  const kind = identifierKind(value);
  return kind === "email"
    ? emailSignInMatch(normalizeEmail(value))
    : kind === "id"
      ? Prisma.sql`u.id = ${value.toLowerCase()}`
      : Prisma.sql`u."usernameNormalized" = ${normalizeUsername(value)}`;
}

/** The user and its current password of a row that selected userColumns() and passwordColumns(). */
export function userWithPasswordFromRow(row: UserWithPasswordRow): UserWithPassword {
  return { ...userFromRow(row), credentials: passwordFromRow(row) };
}

/**
 * Stamps a sign-in on the user row (lastLoginAt, and lastSignInMethod: how its first step proved
 * who signs in), as a CTE named signed_in returning the user as it now is, for the sign-in
 * statement that also starts the session.
 */
export function markSignedInPart(userId: string, now: Date, method: SignInMethod): Prisma.Sql {
  return Prisma.sql`signed_in AS (
    UPDATE "User" u SET "lastLoginAt" = ${utc(now)}, "lastSignInMethod" = ${method}::"SignInMethod", "updatedAt" = ${utc(now)}
    WHERE u.id = ${userId}
    RETURNING ${userColumns("u")})`;
}

export interface NewUserRow {
  username: string;
  email: string | null;
  emailVerified?: boolean;
  role?: Role;
  externalAvatarUrl?: string | null;
  profileName?: string | null;
  now: Date;
}

/**
 * The user row and its empty profile, with the normalized forms the unique indexes decide on.
 * Every way of creating an account (sign-up, social sign-in) goes through here, inside the
 * caller's transaction.
 */
export function insertUserRow(tx: Tx, row: NewUserRow): Promise<User> {
  return tx.user.create({
    data: {
      username: row.username,
      usernameNormalized: normalizeUsername(row.username),
      email: row.email,
      emailNormalized: row.email ? normalizeEmail(row.email) : null,
      emailVerified: row.emailVerified ?? false,
      emailVerifiedAt: row.emailVerified ? row.now : null,
      role: row.role,
      externalAvatarUrl: row.externalAvatarUrl ?? null,
      createdAt: row.now,
      updatedAt: row.now,
      profile: { create: { name: row.profileName ?? null, updatedAt: row.now } },
    },
  });
}

/**
 * THE user lock: the account's row, locked for the rest of the transaction, as it is now (deleted
 * or not; null when there is no such row). Every change of one account that must not interleave
 * with another (profile, avatar, secrets, role, deletion) takes it, so they run one after the other.
 */
export async function lockUser(tx: Tx, userId: string): Promise<User | null> {
  const rows = await tx.$queryRaw<UserRow[]>`SELECT ${userColumns("u")} FROM "User" u WHERE u.id = ${userId} FOR UPDATE`;
  return rows[0] ? userFromRow(rows[0]) : null;
}

/**
 * Marks the live account's address `emailNormalized` as proven at `now`; false (changing
 * nothing) when the account no longer has that address.
 */
export async function markEmailProven(tx: Tx, userId: string, emailNormalized: string, now: Date): Promise<boolean> {
  const { count } = await tx.user.updateMany({
    where: { id: userId, emailNormalized, deletedAt: null },
    data: { emailVerified: true, emailVerifiedAt: now, updatedAt: now },
  });
  return count === 1;
}

/** Drops every other account's unverified claim on the address; returns their ids. */
export async function dropOtherClaims(tx: Tx, emailNormalized: string, proverId: string, now: Date): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    UPDATE "User" SET email = NULL, "emailNormalized" = NULL, "emailVerifiedAt" = NULL, "updatedAt" = ${utc(now)}
    WHERE "emailNormalized" = ${emailNormalized} AND id <> ${proverId} AND NOT "emailVerified"
    RETURNING id`;
  return rows.map((row) => row.id);
}

// The User statements of the e-mail flows in recovery/ (verification, change confirmation,
// reset), each inside the caller's transaction.

/** The user row as the caller's transaction sees it now. */
export function readUser(tx: Tx, userId: string): Promise<User> {
  return tx.user.findUniqueOrThrow({ where: { id: userId } });
}

/** Sets (or with null, drops) the address waiting for its change confirmation; `now` also stamps updatedAt. */
export async function setPendingEmail(tx: Tx, userId: string, pendingEmail: string | null, now?: Date): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { pendingEmail, ...(now ? { updatedAt: now } : {}) }, select: { id: true } });
}

/** Whether an account other than `userId` has proved the address. */
export async function isEmailVerifiedByAnother(tx: Tx, emailNormalized: string, userId: string): Promise<boolean> {
  const holder = await tx.user.findFirst({ where: { emailNormalized, id: { not: userId }, emailVerified: true }, select: { id: true } });
  return holder !== null;
}

/** Makes `address` the account's address and drops its pending one (proving it is proveEmail's). */
export async function replaceEmail(tx: Tx, userId: string, address: { address: string; normalized: string }, now: Date): Promise<void> {
  await tx.user.update({
    where: { id: userId },
    data: { email: address.address, emailNormalized: address.normalized, pendingEmail: null, updatedAt: now },
    select: { id: true },
  });
}

/** Sets when the account's address was first proven (an e-mail change keeps the first proof). */
export async function setEmailVerifiedAt(tx: Tx, userId: string, emailVerifiedAt: Date): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { emailVerifiedAt }, select: { id: true } });
}

/** What a unique username or verified address is already held by. */
/** What the OpenID Provider reads about an account (providerAccountOf). */
export interface ProviderAccount {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  disabled: boolean;
  disabledUntil: Date | null;
}

export interface TakenIdentity {
  usernameNormalized: string;
}

/** The fields of the account's own identity a profile update may change. */
export type IdentityChange = Partial<Pick<User, "username" | "usernameNormalized" | "email" | "emailNormalized" | "emailVerified" | "emailVerifiedAt">>;

/** The account a security notice goes to, as parts of the notice's statement (notices/). */
export const NOTICE_RECIPIENT_SQL: NoticeRecipientSql = {
  verifiedAccount: (userId, when) =>
    Prisma.sql`FROM "User" u WHERE u.id = ${userId} AND u."emailVerified" AND u.email IS NOT NULL AND u."deletedAt" IS NULL AND ${when}`,
  email: Prisma.sql`u.email`,
  username: Prisma.sql`u.username`,
  pendingEmail: Prisma.sql`u."pendingEmail"`,
};

/**
 * User and Profile (accounts' tables): every statement on them, and the user's part of the
 * statements other features assemble (sign-in, refresh, the session check) as typed fragments.
 * Methods taking `tx` join the caller's transaction.
 */
export class UserStore {
  constructor(private readonly prisma: PrismaClient) {}

  // ---- Fragments for statements assembled elsewhere -------------------------------------

  /** The user columns of the table aliased `alias` (default `u`), in the shape of a User. */
  columns(alias = "u"): Prisma.Sql {
    return userColumns(alias);
  }

  /** The User of a raw row that selected columns(). */
  fromRow(row: UserRow): User {
    return userFromRow(row);
  }

  /** A WHERE condition on `u` naming the account of a sign-in identifier (username, e-mail or id). */
  signInMatch(identifier: string): Prisma.Sql {
    return signInMatch(identifier);
  }

  /** The CTE `signed_in` that stamps lastLoginAt and lastSignInMethod and returns the user as it now is. */
  markSignedInPart(userId: string, now: Date, method: SignInMethod): Prisma.Sql {
    return markSignedInPart(userId, now, method);
  }

  /** Joins the current password of `u` as `c` (the credential store's part). */
  passwordJoin(): Prisma.Sql {
    return passwordJoin("u", "c");
  }

  /** The joined password's columns. */
  passwordColumns(): Prisma.Sql {
    return passwordColumns("c");
  }

  /** The user and its current password of a row that selected columns() and passwordColumns(). */
  withPasswordFromRow(row: UserWithPasswordRow): UserWithPassword {
    return userWithPasswordFromRow(row);
  }

  // ---- Reads -----------------------------------------------------------------------------

  /** A live (not deleted) account by username, e-mail or id, with its current password hash. */
  async findForSignIn(identifier: string): Promise<UserWithPassword | null> {
    // One round trip for the user and the current password hash: every sign-in starts here.
    const rows = await this.prisma.$queryRaw<UserWithPasswordRow[]>`
      SELECT ${this.columns("u")}, ${this.passwordColumns()}
      FROM "User" u ${this.passwordJoin()}
      WHERE ${signInMatch(identifier)} AND u."deletedAt" IS NULL
      LIMIT 1`;
    return rows.length === 0 ? null : this.withPasswordFromRow(rows[0]);
  }

  /** A live (not deleted) account by id. */
  findLive(id: string, db: Db = this.prisma): Promise<User | null> {
    return db.user.findFirst({ where: { id, deletedAt: null } });
  }

  /**
   * What the OpenID Provider releases about a live account (claims, and whether it is
   * disabled), with its profile name, in one statement straight on the driver: every refresh
   * grant at the provider reads it, so it skips Prisma's query compiler and its second query.
   */
  async providerAccountOf(sql: SqlRunner, id: string): Promise<ProviderAccount | null> {
    const [row] = await sql<ProviderAccount>`SELECT u.id, u.username, u.email, u."emailVerified", p.name, u.disabled, u."disabledUntil"
       FROM "User" u LEFT JOIN "Profile" p ON p."userId" = u.id
       WHERE u.id = ${id} AND u."deletedAt" IS NULL`;
    return row ?? null;
  }

  /**
   * The same read as one JSON column of the provider's own statement (its token endpoint reads
   * the account with the token, in one round trip): a subquery on the live account whose id
   * `id` names. providerAccountFromColumn reads its value.
   */
  providerAccountColumn(id: Prisma.Sql): Prisma.Sql {
    return Prisma.sql`(SELECT json_build_object('id', u.id, 'username', u.username, 'email', u.email, 'emailVerified', u."emailVerified",
        'name', p.name, 'disabled', u.disabled, 'disabledUntil', u."disabledUntil")
      FROM "User" u LEFT JOIN "Profile" p ON p."userId" = u.id WHERE u.id = ${id} AND u."deletedAt" IS NULL)`;
  }

  /** A providerAccountColumn value as providerAccountOf's row; null when there was no live account. */
  providerAccountFromColumn(value: unknown): ProviderAccount | null {
    const json = (typeof value === "string" ? JSON.parse(value) : value) as (Omit<ProviderAccount, "disabledUntil"> & { disabledUntil: string | null }) | null;
    if (!json || typeof json !== "object") return null;
    // A timestamp column holds UTC without a zone: json_build_object writes it as such.
    return { ...json, disabledUntil: json.disabledUntil ? new Date(`${json.disabledUntil}Z`) : null };
  }

  /** An account by id, whatever its state. */
  findById(db: Db, id: string): Promise<User> {
    return db.user.findUniqueOrThrow({ where: { id } });
  }

  /** The account holding a username (its lower-cased form), deleted or not. */
  findByUsername(usernameNormalized: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { usernameNormalized } });
  }

  /**
   * Another account already holding the username or the verified address (both in their
   * comparison forms), or null. An unverified address is a claim and blocks nobody.
   */
  findTaken(wanted: { usernameNormalized?: string; verifiedEmailNormalized?: string; exceptUserId?: string }): Promise<TakenIdentity | null> {
    const conditions: Prisma.UserWhereInput[] = [
      ...(wanted.usernameNormalized ? [{ usernameNormalized: wanted.usernameNormalized }] : []),
      ...(wanted.verifiedEmailNormalized ? [{ emailNormalized: wanted.verifiedEmailNormalized, emailVerified: true }] : []),
    ];
    if (conditions.length === 0) return Promise.resolve(null);
    return this.prisma.user.findFirst({
      where: { ...(wanted.exceptUserId ? { id: { not: wanted.exceptUserId } } : {}), OR: conditions },
      select: { usernameNormalized: true },
    });
  }

  /** The profiles of these users (those that have one). */
  profilesOf(userIds: readonly string[]): Promise<Profile[]> {
    return this.prisma.profile.findMany({ where: { userId: { in: [...userIds] } } });
  }

  // ---- Locks -----------------------------------------------------------------------------

  /** The one user lock (see lockUser). */
  lock(tx: Tx, userId: string): Promise<User | null> {
    return lockUser(tx, userId);
  }

  /**
   * Locks the rows of every active (enabled at `now`, not deleted) ADMIN, in id order, and returns
   * their ids. Take it before any single user's row: two admins demoting, disabling or deleting
   * each other at once then run one after the other, and the second sees who is left. An ADMIN
   * whose ban has ended counts, whether or not the ban sweep has cleared it yet.
   */
  async lockActiveAdmins(tx: Tx, now: Date): Promise<string[]> {
    const disabled = disabledAtPart({ disabled: Prisma.sql`disabled`, disabledUntil: Prisma.sql`"disabledUntil"` }, now);
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "User" WHERE role = 'ADMIN' AND NOT ${disabled} AND "deletedAt" IS NULL ORDER BY id FOR UPDATE`;
    return rows.map((row) => row.id);
  }

  // ---- Writes ----------------------------------------------------------------------------

  /** A new account row and its empty profile. */
  insert(tx: Tx, row: NewUserRow): Promise<User> {
    return insertUserRow(tx, row);
  }

  /** Changes username and address fields; returns the user as it now is. */
  updateIdentity(tx: Tx, userId: string, change: IdentityChange, now: Date): Promise<User> {
    return tx.user.update({ where: { id: userId }, data: { ...change, updatedAt: now } });
  }

  /** The profile fields given (undefined: left as they are), creating the profile if it is missing. */
  async saveProfile(tx: Tx, userId: string, fields: ProfileFields, now: Date): Promise<void> {
    await tx.profile.upsert({ where: { userId }, create: { userId, ...fields, updatedAt: now }, update: { ...fields, updatedAt: now } });
  }

  /** Sets (a format) or removes (null) the uploaded avatar; a new version busts caches either way. */
  setAvatar(tx: Tx, userId: string, ext: string | null, now: Date): Promise<User> {
    return tx.user.update({ where: { id: userId }, data: { avatarExt: ext, avatarVersion: { increment: 1 }, updatedAt: now } });
  }

  setRole(tx: Tx, userId: string, role: Role, now: Date): Promise<User> {
    return tx.user.update({ where: { id: userId }, data: { role, updatedAt: now } });
  }

  /** Disables the account (with an optional reason and end) or enables it, clearing both. */
  setDisabled(tx: Tx, userId: string, ban: { disabled: boolean; reason?: string | null; until?: Date | null }, now: Date): Promise<User> {
    const { disabled } = ban;
    return tx.user.update({
      where: { id: userId },
      data: { disabled, disabledReason: disabled ? (ban.reason ?? null) : null, disabledUntil: disabled ? (ban.until ?? null) : null, updatedAt: now },
    });
  }

  /**
   * Enables the accounts whose timed ban ended before `now` (the ban sweep), locking their rows
   * after the active ADMINs' as every admin action does; returns their ids.
   */
  async liftEndedBans(tx: Tx, now: Date): Promise<string[]> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      UPDATE "User" SET disabled = false, "disabledReason" = NULL, "disabledUntil" = NULL, "updatedAt" = ${utc(now)}
      WHERE id IN (
        SELECT id FROM "User" WHERE disabled AND "disabledUntil" IS NOT NULL AND "disabledUntil" <= ${utc(now)} AND "deletedAt" IS NULL
        ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED)
      RETURNING id`;
    return rows.map((row) => row.id);
  }

  /**
   * Soft-deletes the account: the row stays for the audit trail, its username becomes
   * `tombstone` (freeing the name) and its address and avatar go; the profile is deleted.
   */
  async markDeleted(tx: Tx, userId: string, tombstone: string, now: Date): Promise<void> {
    await tx.user.update({
      where: { id: userId },
      data: {
        deletedAt: now,
        updatedAt: now,
        usernameNormalized: tombstone,
        email: null,
        emailNormalized: null,
        emailVerified: false,
        avatarExt: null,
        avatarVersion: { increment: 1 },
      },
    });
    await tx.profile.deleteMany({ where: { userId } });
  }

  /** See markEmailProven() below. */
  markEmailProven(tx: Tx, userId: string, emailNormalized: string, now: Date): Promise<boolean> {
    return markEmailProven(tx, userId, emailNormalized, now);
  }

  /** See dropOtherClaims() below. */
  dropOtherClaims(tx: Tx, emailNormalized: string, proverId: string, now: Date): Promise<string[]> {
    return dropOtherClaims(tx, emailNormalized, proverId, now);
  }

  // Look-ups of the reset flows (recovery/), through AccountService.

  /**
   * Up to two live accounts with this address, its verified holder first, then by id: the
   * verified holder, or the one account claiming it, is who a reset link may go to.
   */
  liveHoldersOfEmail(emailNormalized: string): Promise<Array<Pick<User, "id" | "username" | "email" | "emailVerified" | "emailVerifiedAt" | "disabled" | "disabledUntil">>> {
    return this.prisma.user.findMany({
      where: { emailNormalized, deletedAt: null },
      select: { id: true, username: true, email: true, emailVerified: true, emailVerifiedAt: true, disabled: true, disabledUntil: true },
      orderBy: [{ emailVerified: "desc" }, { id: "asc" }],
      take: 2,
    });
  }

  /** A live account by normalized username with its current secret passkey hash, in one statement. */
  findWithSecretPasskey(usernameNormalized: string): Promise<(User & { credentials: Array<{ hash: string }> }) | null> {
    return this.prisma.user.findFirst({
      where: { usernameNormalized, deletedAt: null },
      include: { credentials: { where: { kind: "SECRET_PASSKEY", isCurrent: true }, select: { hash: true }, take: 1 } },
    });
  }

  // The reads provider sign-in and passkeys need (oauth's OAuthUsers, passkeys' ReadAddress).

  /** The live account holding this address verified, or null. */
  findVerifiedOwner(emailNormalized: string): Promise<User | null> {
    return this.prisma.user.findFirst({ where: { emailNormalized, emailVerified: true, deletedAt: null } });
  }

  /** Whether any account holds this address verified. */
  async hasVerifiedHolder(emailNormalized: string): Promise<boolean> {
    return (await this.prisma.user.findFirst({ where: { emailNormalized, emailVerified: true }, select: { id: true } })) !== null;
  }

  /** The account's address; the user must exist. */
  addressOf(db: Db, userId: string): Promise<Pick<User, "email" | "emailVerified">> {
    return db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerified: true } });
  }

  /** Which of these normalized usernames accounts already hold. */
  async takenUsernames(normalized: string[]): Promise<Set<string>> {
    const rows = await this.prisma.user.findMany({ where: { usernameNormalized: { in: normalized } }, select: { usernameNormalized: true } });
    return new Set(rows.map((row) => row.usernameNormalized));
  }

}

/**
 * The user.created webhook's read of the new account (webhooks/ sit below accounts and take it
 * as a port, wired by the composition), in the caller's transaction.
 */
export function readNewAccount(userId: string, db: PrismaClient | Tx) {
  return db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, username: true, email: true, emailVerified: true, role: true, createdAt: true },
  });
}

import { Prisma, type Role, type User } from "../generated/prisma/client";
import { normalizeEmail, normalizeUsername } from "./identity-rules";
import { USER_COLUMNS } from "./user-columns.sql";
import { utc } from "../db/sql-time";

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
export function insertUserRow(tx: Prisma.TransactionClient, row: NewUserRow): Promise<User> {
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
 * Stamps a sign-in on the user row (lastLoginAt), as a CTE named signed_in returning the user as
 * it now is, for the sign-in statement that also starts the session.
 */
export function markSignedInPart(userId: string, now: Date): Prisma.Sql {
  return Prisma.sql`signed_in AS (
    UPDATE "User" u SET "lastLoginAt" = ${utc(now)}, "updatedAt" = ${utc(now)}
    WHERE u.id = ${userId}
    RETURNING ${USER_COLUMNS})`;
}

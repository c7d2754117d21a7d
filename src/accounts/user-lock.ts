import type { Prisma } from "../generated/prisma/client";
import { Errors } from "../common/app-error";

export interface LockedUser {
  id: string;
  username: string;
  email: string | null;
  emailNormalized: string | null;
  emailVerified: boolean;
  avatarExt: string | null;
}

/**
 * Locks a live (not deleted) user row for the rest of the transaction, so profile, avatar and
 * deletion changes of one account happen one after the other. An account deleted meanwhile
 * means the caller's sign-in is gone: UNAUTHENTICATED.
 */
export async function lockLiveUser(tx: Prisma.TransactionClient, userId: string): Promise<LockedUser> {
  const rows = await tx.$queryRaw<LockedUser[]>`
    SELECT id, username, email, "emailNormalized", "emailVerified", "avatarExt"
    FROM "User" WHERE id = ${userId} AND "deletedAt" IS NULL FOR UPDATE`;
  if (!rows[0]) throw Errors.unauthenticated();
  return rows[0];
}

/**
 * Locks the rows of every active (enabled, not deleted) ADMIN, in id order, and returns their
 * ids: the same lock the admin actions take (admin.service.ts), so two admins removing
 * themselves or each other at once run one after the other and the second sees who is left.
 * Take it before any single user's row, as they do.
 */
export async function lockActiveAdmins(tx: Prisma.TransactionClient): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "User" WHERE role = 'ADMIN' AND disabled = false AND "deletedAt" IS NULL ORDER BY id FOR UPDATE`;
  return rows.map((row) => row.id);
}

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

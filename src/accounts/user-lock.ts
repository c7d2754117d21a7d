import type { Prisma, User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { lockUser } from "./user.store";

/**
 * Locks a live (not deleted) user row for the rest of the transaction (the one lock,
 * UserStore.lock), so profile, avatar and deletion changes of one account happen one after the
 * other. An account deleted meanwhile means the caller's sign-in is gone: UNAUTHENTICATED.
 */
export async function lockLiveUser(tx: Prisma.TransactionClient, userId: string): Promise<User> {
  const user = await lockUser(tx, userId);
  if (!user || user.deletedAt) throw Errors.unauthenticated();
  return user;
}

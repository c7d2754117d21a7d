import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { NewAccount, NewAccountReader } from "./webhook-events";

/**
 * The one read webhooks make of the User table (owned by accounts/), for user.created. It sits
 * behind the NewAccountReader port so the accounts store can provide it instead: webhooks sit
 * below accounts and may not import it.
 */
export class NewAccountStore implements NewAccountReader {
  newAccount(userId: string, db: PrismaClient | Prisma.TransactionClient): Promise<NewAccount> {
    return db.user.findUniqueOrThrow({
      where: { id: userId },
      select: { id: true, username: true, email: true, emailVerified: true, role: true, createdAt: true },
    });
  }
}

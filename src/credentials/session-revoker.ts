import type { Prisma } from "../generated/prisma/client";

/**
 * Ends an account's sessions inside the caller's transaction; returns how many. sessions/
 * implements it (SessionService.revokeAllForUser) and the composition passes it in: features
 * below sessions (credentials, accounts) and admin revoke through this, not through sessions.
 */
export interface SessionRevoker {
  revokeAllForUser(tx: Prisma.TransactionClient, userId: string, reason: string, exceptSessionId?: string): Promise<number>;
}

import type { Prisma, User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { dropOtherClaims, markEmailProven } from "./user.store";

const NO_ORIGIN: AuditOrigin = { ip: null, userAgent: null };

/**
 * An unverified address is a claim, not a possession: several accounts may claim one address,
 * and the first to prove the mailbox keeps it. A verified address is unique (a partial unique
 * index on verified addresses decides races).
 */

/**
 * Until its address is verified an account may not add ways in (passkeys, provider links): they
 * would outlive the mailbox owner's reset. An account without an address has no mailbox anyone
 * else could prove, so nothing to protect here: it may add them.
 */
export function assertAddressProven(user: Pick<User, "email" | "emailVerified">, action: string): void {
  if (user.email && !user.emailVerified) throw Errors.emailNotVerified(action);
}

/**
 * Marks `userId`'s address `emailNormalized` as proven now and drops every other account's
 * unverified claim on it, inside the caller's transaction. Returns false (changing nothing)
 * when the account no longer has that address. Every path that proves a mailbox goes through
 * here: the verification link, a provider vouching for the address, an e-mail change confirmation.
 */
export async function proveEmail(
  tx: Prisma.TransactionClient,
  audit: AuditService,
  input: { userId: string; emailNormalized: string; now: Date },
): Promise<boolean> {
  const { userId, emailNormalized, now } = input;
  if (!(await markEmailProven(tx, userId, emailNormalized, now))) return false;
  for (const loser of await dropOtherClaims(tx, emailNormalized, userId, now)) {
    // Nothing about the prover (no IP, no user agent, no id) reaches the other account's activity.
    await audit.record(
      { type: AuditEventType.EMAIL_CLAIM_REMOVED, userId: loser, actorId: null, origin: NO_ORIGIN, metadata: { reason: "PROVEN_BY_ANOTHER_ACCOUNT" } },
      tx,
    );
  }
  return true;
}

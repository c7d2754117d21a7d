import type { Prisma, User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
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

// The User statements of the e-mail flows in recovery/ (verification, change confirmation,
// reset), each inside the caller's transaction.

/** The user row as the caller's transaction sees it now. */
export function readUser(tx: Prisma.TransactionClient, userId: string): Promise<User> {
  return tx.user.findUniqueOrThrow({ where: { id: userId } });
}

/** Sets (or with null, drops) the address waiting for its change confirmation; `now` also stamps updatedAt. */
export async function setPendingEmail(tx: Prisma.TransactionClient, userId: string, pendingEmail: string | null, now?: Date): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { pendingEmail, ...(now ? { updatedAt: now } : {}) }, select: { id: true } });
}

/** Whether an account other than `userId` has proved the address. */
export async function isEmailVerifiedByAnother(tx: Prisma.TransactionClient, emailNormalized: string, userId: string): Promise<boolean> {
  const holder = await tx.user.findFirst({ where: { emailNormalized, id: { not: userId }, emailVerified: true }, select: { id: true } });
  return holder !== null;
}

/** Makes `address` the account's address and drops its pending one (proving it is proveEmail's). */
export async function replaceEmail(tx: Prisma.TransactionClient, userId: string, address: { address: string; normalized: string }, now: Date): Promise<void> {
  await tx.user.update({
    where: { id: userId },
    data: { email: address.address, emailNormalized: address.normalized, pendingEmail: null, updatedAt: now },
    select: { id: true },
  });
}

/** Sets when the account's address was first proven (an e-mail change keeps the first proof). */
export async function setEmailVerifiedAt(tx: Prisma.TransactionClient, userId: string, emailVerifiedAt: Date): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { emailVerifiedAt }, select: { id: true } });
}

import type { Prisma } from "../generated/prisma/client";

/** A way in that is about to go: the rest must still leave the account one. */
export interface LeavingMethod {
  oauthAccountId?: string;
  passkeyId?: string;
}

/**
 * How many ways to sign in the account keeps without `leaving`: a current password, links to
 * providers that are still configured, passkeys. Call inside the transaction that removes a
 * method, after locking the user row, so two removals at once cannot both see the other.
 */
export async function remainingSignInMethods(
  tx: Prisma.TransactionClient,
  userId: string,
  configuredProviders: ReadonlySet<string>,
  leaving: LeavingMethod,
): Promise<number> {
  const [passwords, links, passkeys] = await Promise.all([
    tx.credential.count({ where: { userId, kind: "PASSWORD", isCurrent: true } }),
    tx.oAuthAccount.findMany({ where: { userId }, select: { id: true, provider: true } }),
    tx.webAuthnCredential.count({ where: { userId, ...(leaving.passkeyId ? { id: { not: leaving.passkeyId } } : {}) } }),
  ]);
  const otherLinks = links.filter((link) => link.id !== leaving.oauthAccountId && configuredProviders.has(link.provider)).length;
  return passwords + otherLinks + passkeys;
}

export const LAST_SIGN_IN_METHOD = "LAST_SIGN_IN_METHOD";

type Db = Prisma.TransactionClient;

/** The ways in besides the password that a reset by e-mail does not touch, for the reset mail. */
export interface OtherWaysIn {
  /** Passkey names (unnamed ones as "Passkey"). */
  passkeys: Array<{ name: string; createdAt: Date }>;
  /** Linked provider ids. */
  providers: Array<{ provider: string; createdAt: Date }>;
}

/** The account's passkeys and provider links, oldest first. */
export async function otherWaysIn(db: Db, userId: string): Promise<OtherWaysIn> {
  const [passkeys, providers] = await Promise.all([
    db.webAuthnCredential.findMany({ where: { userId }, select: { name: true, createdAt: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    db.oAuthAccount.findMany({ where: { userId }, select: { provider: true, createdAt: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  ]);
  return { passkeys: passkeys.map((p) => ({ name: p.name ?? "Passkey", createdAt: p.createdAt })), providers };
}

/**
 * Removes the passkeys and provider links created before `provenAt` (the time the account's
 * address was proven; null: not proven, so all of them), inside the caller's transaction:
 * whoever made them before the mailbox was proven may not be its owner. Returns what went.
 */
export async function removeWaysInAddedBefore(
  tx: Db,
  userId: string,
  provenAt: Date | null,
): Promise<{ passkeys: number; providers: string[]; twoFactor: boolean }> {
  const before = provenAt ? { createdAt: { lt: provenAt } } : {};
  const links = await tx.oAuthAccount.findMany({ where: { userId, ...before }, select: { id: true, provider: true } });
  if (links.length > 0) await tx.oAuthAccount.deleteMany({ where: { id: { in: links.map((link) => link.id) } } });
  const { count } = await tx.webAuthnCredential.deleteMany({ where: { userId, ...before } });
  // A second factor turned on before the proof would stand between the mailbox's owner and the
  // account after the reset (its codes are someone else's): it goes, with its recovery codes.
  const twoFactor = await tx.twoFactor.deleteMany({ where: { userId, ...(provenAt ? { OR: [{ enabledAt: null }, { enabledAt: { lt: provenAt } }] } : {}) } });
  if (twoFactor.count > 0) await tx.recoveryCode.deleteMany({ where: { userId } });
  return { passkeys: count, providers: links.map((link) => link.provider), twoFactor: twoFactor.count > 0 };
}

/**
 * Whether the account had a way in (current password, passkey, provider link) from before its
 * address was proven; such an account is never joined by e-mail to a provider identity.
 */
export async function hasWaysInFromBeforeProof(db: Db, userId: string, provenAt: Date | null): Promise<boolean> {
  const before = provenAt ? { createdAt: { lt: provenAt } } : {};
  const [passwords, links, passkeys] = await Promise.all([
    db.credential.count({ where: { userId, kind: "PASSWORD", isCurrent: true, ...before } }),
    db.oAuthAccount.count({ where: { userId, ...before } }),
    db.webAuthnCredential.count({ where: { userId, ...before } }),
  ]);
  return passwords + links + passkeys > 0;
}

/** The second factor: no way in by itself, but one turned on before the proof goes with them. */
export interface SecondFactorSource {
  /**
   * Removes the second factor (and its backup codes) when it was turned on before `provenAt` or
   * is still pending (any, when null), in the caller's transaction; true when one went.
   */
  removeEnabledBefore(tx: Db, userId: string, provenAt: Date | null): Promise<boolean>;
}

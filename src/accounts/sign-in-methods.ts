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

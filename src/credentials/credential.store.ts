import type { Prisma } from "../generated/prisma/client";

/** Credential rows: password hashes (current and history) and the secret passkey's. */
export class CredentialStore {
  /**
   * Current passwords of the user (one or none), as a way in (accounts' SignInMethods counts
   * them; its filter is structural here, credentials sitting below accounts); `addedBefore`:
   * only one set before then.
   */
  countWaysIn(db: Prisma.TransactionClient, userId: string, filter: { addedBefore?: Date | null } = {}): Promise<number> {
    return db.credential.count({
      where: { userId, kind: "PASSWORD", isCurrent: true, ...(filter.addedBefore ? { createdAt: { lt: filter.addedBefore } } : {}) },
    });
  }
}

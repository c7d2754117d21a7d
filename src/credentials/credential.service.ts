import type { Prisma } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { PasswordHasher } from "./password-hasher";
import { normalizePassword, passwordPolicyViolations, PASSWORD_POLICY_MESSAGES } from "./password-policy";

import type { CredentialKind, CredentialStore, CurrentHash, Db, UserRowLock } from "./credential.store";

export type { CredentialKind } from "./credential.store";

/** A new password may not equal any of this many most recent ones (the current one included). */
export const PASSWORD_HISTORY_DEPTH = 5;

/** Password and secret-passkey hashes, kept as history with one current row per kind. */
export class CredentialService {
  constructor(
    private readonly store: CredentialStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly lockUser: UserRowLock,
  ) {}

  /** Throws PASSWORD_POLICY with every reason that applies. */
  assertPasswordPolicy(password: string, context: { username?: string | null; email?: string | null }): void {
    const reasons = passwordPolicyViolations(password, context);
    if (reasons.length > 0) {
      throw Errors.passwordPolicy(reasons, `Password must be ${reasons.map((r) => PASSWORD_POLICY_MESSAGES[r]).join("; ")}`);
    }
  }

  /**
   * A secret passkey opens the account as a password does (passkey reset), so the password rules
   * apply to it: PASSWORD_POLICY with field secretPasskey. It must also differ from the password
   * (when known in clear: at sign-up).
   */
  assertSecretPasskey(secretPasskey: string, context: { password?: string; username?: string | null; email?: string | null }): void {
    const reasons = passwordPolicyViolations(secretPasskey, context);
    if (reasons.length > 0) {
      throw Errors.secretPasskeyPolicy(reasons, `Secret passkey must be ${reasons.map((r) => PASSWORD_POLICY_MESSAGES[r]).join("; ")}`);
    }
    if (context.password !== undefined && normalizePassword(secretPasskey) === normalizePassword(context.password)) {
      throw Errors.badInput("secretPasskey", "Secret passkey must differ from the password");
    }
  }

  hash(secret: string): Promise<string> {
    return this.hasher.hash(normalizePassword(secret));
  }

  verify(secret: string, hash: string): Promise<boolean> {
    return this.hasher.verify(normalizePassword(secret), hash);
  }

  /** Spends the time of one compare without an account to compare against. */
  dummyVerify(secret: string): Promise<false> {
    return this.hasher.dummyVerify(normalizePassword(secret));
  }

  needsRehash(hash: string): boolean {
    return this.hasher.needsRehash(hash);
  }

  /** Writes the first credentials of a new account, inside the caller's transaction. */
  createInitial(db: Db, userId: string, hashes: { password: string; secretPasskey: string }): Promise<void> {
    return this.store.createInitial(db, userId, hashes, this.clock.now());
  }

  /** The current hash of a credential kind, or null. */
  currentHash(userId: string, kind: CredentialKind, db?: Db): Promise<CurrentHash | null> {
    return this.store.current(userId, kind, db);
  }

  /**
   * Checks the policy and the last-5 history, then hashes the new password. Call before the
   * transaction that stores it (hashing is slow; keep it out of the transaction).
   */
  async prepareNewPassword(
    userId: string,
    newPassword: string,
    context: { username?: string | null; email?: string | null },
  ): Promise<string> {
    this.assertPasswordPolicy(newPassword, context);
    const recent = await this.store.recentPasswordHashes(userId, PASSWORD_HISTORY_DEPTH);
    const reused = await Promise.all(recent.map((hash) => this.verify(newPassword, hash)));
    if (reused.some(Boolean)) {
      throw Errors.passwordPolicy(["REUSED"], `Password must be ${PASSWORD_POLICY_MESSAGES.REUSED}`);
    }
    return this.hash(newPassword);
  }

  /**
   * Makes `hash` the current password inside the caller's transaction: the user row is locked
   * so two concurrent changes cannot leave two current passwords.
   */
  async storeNewPassword(db: Prisma.TransactionClient, userId: string, hash: string): Promise<void> {
    await this.lockUser(db, userId);
    await this.store.replaceCurrent(db, userId, "PASSWORD", hash, this.clock.now());
  }

  /**
   * Makes `hash` the current secret passkey inside the caller's transaction (the user row is
   * locked, as for passwords); the account may have had none.
   */
  async storeNewSecretPasskey(db: Prisma.TransactionClient, userId: string, hash: string): Promise<void> {
    await this.lockUser(db, userId);
    await this.store.replaceCurrent(db, userId, "SECRET_PASSKEY", hash, this.clock.now());
  }

  /**
   * Clears the secret passkey (history kept, none current), inside the caller's transaction: a
   * reset by e-mail link ends the offline recovery whoever chose it; the owner sets a new one.
   */
  clearSecretPasskey(db: Prisma.TransactionClient, userId: string): Promise<boolean> {
    return this.store.clearCurrent(db, userId, "SECRET_PASSKEY");
  }

  /** Every credential of the account, history included, inside the caller's transaction (account deletion). */
  deleteAll(db: Prisma.TransactionClient, userId: string): Promise<void> {
    return this.store.deleteAllForUser(db, userId);
  }

  /** Replaces a hash with a fresh one of the configured algorithm; same secret, same history row. */
  replaceHash(credentialId: string, newHash: string): Promise<void> {
    return this.store.replaceHash(credentialId, newHash);
  }
}

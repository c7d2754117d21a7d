import type { Prisma } from "../generated/prisma/client";

type Db = Prisma.TransactionClient;

/** A way in that is about to go: the rest must still leave the account one. */
export interface LeavingMethod {
  oauthAccountId?: string;
  passkeyId?: string;
}

export const LAST_SIGN_IN_METHOD = "LAST_SIGN_IN_METHOD";

/** Which of a table's ways in to count. */
export interface WayInFilter {
  /** Only those made before this time; null or absent: all of them. */
  addedBefore?: Date | null;
  /** Leaves this row out (the one about to go). */
  except?: string;
  /** Provider links only: links to these providers (one to a provider no longer configured is no way in). */
  providers?: ReadonlySet<string>;
}

/** A way in as the reset mail names it. */
export interface ListedWayIn {
  name: string;
  createdAt: Date;
}

/**
 * One table's ways into an account, answered by that table's own store (credentials' for
 * passwords, passkeys', oauth's): this module only adds them up.
 */
export interface WayInSource {
  countWaysIn(db: Db, userId: string, filter?: WayInFilter): Promise<number>;
}

/** Ways in that a reset by e-mail lists and may remove: passkeys (named or not) and provider links (by provider id). */
export interface RemovableWayInSource<Name extends string | null> extends WayInSource {
  /** Oldest first. */
  listWaysIn(db: Db, userId: string): Promise<Array<{ name: Name; createdAt: Date }>>;
  /** Removes those made before `provenAt` (all when null) in the caller's transaction; returns the names of what went. */
  removeWaysInAddedBefore(tx: Db, userId: string, provenAt: Date | null): Promise<Name[]>;
  /** Removes every one of the user's (the account is being deleted). */
  deleteForUser(tx: Db, userId: string): Promise<void>;
}

/** The second factor: no way in by itself, but one turned on before the proof goes with them. */
export interface SecondFactorSource {
  /**
   * Removes the second factor (and its backup codes) when it was turned on before `provenAt` or
   * is still pending (any, when null), in the caller's transaction; true when one went.
   */
  removeEnabledBefore(tx: Db, userId: string, provenAt: Date | null): Promise<boolean>;
  /** Removes the settings and every backup code of the user, whatever their state (the account is being deleted). */
  removeAll(tx: Db, userId: string): Promise<void>;
}

export interface SignInMethodSources {
  passwords: WayInSource;
  passkeys: RemovableWayInSource<string | null>;
  providers: RemovableWayInSource<string>;
  secondFactor: SecondFactorSource;
}

/** The ways in besides the password that a reset by e-mail does not touch, for the reset mail. */
export interface OtherWaysIn {
  /** Passkey names (unnamed ones as "Passkey"). */
  passkeys: Array<{ name: string; createdAt: Date }>;
  /** Linked provider ids. */
  providers: Array<{ provider: string; createdAt: Date }>;
}

/**
 * The account's ways in (current password, passkeys, provider links) across the tables that hold
 * them, each asked through its store; the composition hands the stores in.
 */
export class SignInMethods {
  constructor(private readonly sources: SignInMethodSources) {}

  /**
   * How many ways to sign in the account keeps without `leaving`: a current password, links to
   * providers that are still configured, passkeys. Call inside the transaction that removes a
   * method, after locking the user row, so two removals at once cannot both see the other.
   */
  async remaining(tx: Db, userId: string, configuredProviders: ReadonlySet<string>, leaving: LeavingMethod): Promise<number> {
    const { passwords, providers, passkeys } = this.sources;
    const counts = await Promise.all([
      passwords.countWaysIn(tx, userId),
      providers.countWaysIn(tx, userId, { except: leaving.oauthAccountId, providers: configuredProviders }),
      passkeys.countWaysIn(tx, userId, { except: leaving.passkeyId }),
    ]);
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** The account's passkeys and provider links, oldest first. */
  async otherWaysIn(db: Db, userId: string): Promise<OtherWaysIn> {
    const [passkeys, providers] = await Promise.all([this.sources.passkeys.listWaysIn(db, userId), this.sources.providers.listWaysIn(db, userId)]);
    return {
      passkeys: passkeys.map((p) => ({ name: p.name ?? "Passkey", createdAt: p.createdAt })),
      providers: providers.map((p) => ({ provider: p.name, createdAt: p.createdAt })),
    };
  }

  /**
   * Removes the passkeys and provider links created before `provenAt` (the time the account's
   * address was proven; null: not proven, so all of them), inside the caller's transaction:
   * whoever made them before the mailbox was proven may not be its owner. Returns what went.
   */
  async removeAddedBefore(tx: Db, userId: string, provenAt: Date | null): Promise<{ passkeys: number; providers: string[]; twoFactor: boolean }> {
    const providers = await this.sources.providers.removeWaysInAddedBefore(tx, userId, provenAt);
    const passkeys = await this.sources.passkeys.removeWaysInAddedBefore(tx, userId, provenAt);
    // A second factor turned on before the proof would stand between the mailbox's owner and the
    // account after the reset (its codes are someone else's): it goes, with its backup codes.
    const twoFactor = await this.sources.secondFactor.removeEnabledBefore(tx, userId, provenAt);
    return { passkeys: passkeys.length, providers, twoFactor };
  }

  /** Removes every passkey, provider link and second factor of the user (the account is being deleted). */
  async removeAll(tx: Db, userId: string): Promise<void> {
    await this.sources.secondFactor.removeAll(tx, userId);
    await this.sources.providers.deleteForUser(tx, userId);
    await this.sources.passkeys.deleteForUser(tx, userId);
  }

  /**
   * Whether the account had a way in (current password, passkey, provider link) from before its
   * address was proven; such an account is never joined by e-mail to a provider identity.
   */
  async hasWaysInFromBeforeProof(db: Db, userId: string, provenAt: Date | null): Promise<boolean> {
    const filter = { addedBefore: provenAt };
    const { passwords, providers, passkeys } = this.sources;
    const counts = await Promise.all([
      passwords.countWaysIn(db, userId, filter),
      providers.countWaysIn(db, userId, filter),
      passkeys.countWaysIn(db, userId, filter),
    ]);
    return counts.some((count) => count > 0);
  }
}

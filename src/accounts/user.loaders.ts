import DataLoader from "dataloader";
import type { Profile } from "../generated/prisma/client";

/**
 * Where the loaders read, one batch per field: the profiles (accounts' UserStore), and the
 * per-user facts other features keep (two-factor state, provider links), handed in by the
 * composition so accounts need not know their tables.
 */
export interface UserLoaderSources {
  profilesOf(userIds: readonly string[]): Promise<Profile[]>;
  /** Which of these users have two-factor authentication on (mfa). */
  twoFactorEnabledAmong(userIds: readonly string[]): Promise<Set<string>>;
  /** The provider ids linked to each user, in the order asked, each list by provider id (oauth). */
  linkedProvidersOf(userIds: readonly string[]): Promise<string[][]>;
  /** How many passkeys each user has, in the order asked (passkeys). */
  passkeyCountsOf(userIds: readonly string[]): Promise<number[]>;
}

/** Per-request batch loaders for user fields, so a page of users costs one query per field. */
export function createUserLoaders(sources: UserLoaderSources) {
  return {
    profile: new DataLoader<string, Profile | null>(async (userIds) => {
      const rows = await sources.profilesOf(userIds);
      const byUser = new Map(rows.map((row) => [row.userId, row]));
      return userIds.map((id) => byUser.get(id) ?? null);
    }),
    twoFactorEnabled: new DataLoader<string, boolean>(async (userIds) => {
      const enabled = await sources.twoFactorEnabledAmong(userIds);
      return userIds.map((id) => enabled.has(id));
    }),
    /** Ids of the sign-in providers linked to each user (oauth/). */
    linkedProviders: new DataLoader<string, string[]>((userIds) => sources.linkedProvidersOf(userIds)),
    /** How many passkeys each user has (passkeys/). */
    passkeyCount: new DataLoader<string, number>((userIds) => sources.passkeyCountsOf(userIds)),
  };
}

export type UserLoaders = ReturnType<typeof createUserLoaders>;

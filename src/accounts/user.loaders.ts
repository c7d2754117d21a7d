import DataLoader from "dataloader";
import type { PrismaClient, Profile } from "../generated/prisma/client";

/** User fields held by the tables of features above accounts, answered by their stores (passed in). */
export interface UserFieldSources {
  /** Which of these users have two-factor authentication on (mfa). */
  twoFactorEnabledAmong(userIds: readonly string[]): Promise<Set<string>>;
  /** The provider ids linked to each user, in the order asked (oauth). */
  linkedProvidersOf(userIds: readonly string[]): Promise<string[][]>;
}

/** Per-request batch loaders for user fields, so a page of users costs one query per field. */
export function createUserLoaders(prisma: PrismaClient, sources: UserFieldSources) {
  return {
    profile: new DataLoader<string, Profile | null>(async (userIds) => {
      const rows = await prisma.profile.findMany({ where: { userId: { in: [...userIds] } } });
      const byUser = new Map(rows.map((row) => [row.userId, row]));
      return userIds.map((id) => byUser.get(id) ?? null);
    }),
    twoFactorEnabled: new DataLoader<string, boolean>(async (userIds) => {
      const enabled = await sources.twoFactorEnabledAmong(userIds);
      return userIds.map((id) => enabled.has(id));
    }),
    /** Ids of the sign-in providers linked to each user (oauth/). */
    linkedProviders: new DataLoader<string, string[]>((userIds) => sources.linkedProvidersOf(userIds)),
  };
}

export type UserLoaders = ReturnType<typeof createUserLoaders>;

import DataLoader from "dataloader";
import type { PrismaClient, Profile } from "../generated/prisma/client";

/** Per-request batch loaders for user fields, so a page of users costs one query per field. */
export function createUserLoaders(prisma: PrismaClient) {
  return {
    profile: new DataLoader<string, Profile | null>(async (userIds) => {
      const rows = await prisma.profile.findMany({ where: { userId: { in: [...userIds] } } });
      const byUser = new Map(rows.map((row) => [row.userId, row]));
      return userIds.map((id) => byUser.get(id) ?? null);
    }),
    twoFactorEnabled: new DataLoader<string, boolean>(async (userIds) => {
      const rows = await prisma.twoFactor.findMany({
        where: { userId: { in: [...userIds] }, enabledAt: { not: null } },
        select: { userId: true },
      });
      const enabled = new Set(rows.map((row) => row.userId));
      return userIds.map((id) => enabled.has(id));
    }),
    /** Ids of the sign-in providers linked to each user (oauth/). */
    linkedProviders: new DataLoader<string, string[]>(async (userIds) => {
      const rows = await prisma.oAuthAccount.findMany({
        where: { userId: { in: [...userIds] } },
        select: { userId: true, provider: true },
        orderBy: { provider: "asc" },
      });
      return userIds.map((id) => rows.filter((row) => row.userId === id).map((row) => row.provider));
    }),
  };
}

export type UserLoaders = ReturnType<typeof createUserLoaders>;

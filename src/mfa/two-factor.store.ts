import { Prisma, type PrismaClient, type TwoFactorMethod } from "../generated/prisma/client";

/** Statements on TwoFactor. */
export class TwoFactorStore {
  constructor(private readonly prisma: PrismaClient) {}

  // For the sign-in (sign-in/two-factor-state.ts): whether the account's second factor is on.

  /** The enabled method of the user `userId` (a SQL expression) names, as text, or NULL: a scalar subquery. */
  enabledMethodSql(userId: Prisma.Sql): Prisma.Sql {
    return Prisma.sql`(SELECT tf.method::text FROM "TwoFactor" tf WHERE tf."userId" = ${userId} AND tf."enabledAt" IS NOT NULL)`;
  }

  /** The user's enabled method, or null when two-factor authentication is off (a pending enrollment is not on). */
  async enabledMethod(userId: string): Promise<TwoFactorMethod | null> {
    const row = await this.prisma.twoFactor.findFirst({ where: { userId, enabledAt: { not: null } }, select: { method: true } });
    return row?.method ?? null;
  }
}

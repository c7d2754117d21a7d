import type { Prisma, TwoFactorMethod } from "../generated/prisma/client";

/**
 * What sign-in needs to know of an account's second factor: whether it is on, and which method.
 * The TwoFactor table is mfa's (a layer above): its store implements this and the composition
 * passes it in.
 */
export interface TwoFactorState {
  /** The enabled method of the user `userId` (a SQL expression) names, as text, or NULL: a scalar subquery. */
  enabledMethodSql(userId: Prisma.Sql): Prisma.Sql;
  /** The user's enabled method, or null when two-factor authentication is off (a pending enrollment is not on). */
  enabledMethod(userId: string): Promise<TwoFactorMethod | null>;
}

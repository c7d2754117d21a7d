import type { GraphQLContext } from "../graphql/context";

/**
 * Whether the caller is a MODERATOR reading an ADMIN account. A MODERATOR moderates accounts:
 * of an ADMIN it sees the identity and the moderation state (id, username, role, email,
 * emailVerified, avatar, profile, disabled, createdAt, updatedAt), never how the ADMIN
 * protects or uses the account: twoFactorEnabled answers false, lastLoginAt and
 * lastSignInMethod null, whatever they are; a LAST_LOGIN_AT order ranks ADMINs as never signed in; linked providers,
 * passkeys and sessions were never shown to a MODERATOR.
 */
export function hidesSecurityState(ctx: Pick<GraphQLContext, "viewer">, user: { id: string; role: string }): boolean {
  return ctx.viewer?.user.role === "MODERATOR" && user.role === "ADMIN" && ctx.viewer.user.id !== user.id;
}

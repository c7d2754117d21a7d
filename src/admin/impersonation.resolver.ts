import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { AuthPayload, toAuthPayload } from "../sessions";

@Resolver()
export class ImpersonationResolver {
  @Authorized("ADMIN")
  @Mutation(() => AuthPayload, {
    description:
      "Starts a session as another account, to see what its user sees; ADMIN only, with a recent authentication. Audited (IMPERSONATION_STARTED with the reason). The session ends at most 1 hour after it started (refreshing never extends it and no access token outlives it), and at once when its account becomes an ADMIN or the ADMIN is demoted, disabled or deleted. Its access tokens carry the act claim (RFC 8693) naming the ADMIN, me.impersonatedBy shows the ADMIN, and everything done in it is audited with the ADMIN as actorId. In it, every mutation that needs a recent authentication or a role, and changePassword, deleteAccount, disableTwoFactor, regenerateRecoveryCodes, reauthenticate, the passkey reauthentication, logoutAllSessions and revoking another session answer FORBIDDEN (extensions.reason IMPERSONATION); logout ends it. The tokens come in the body only (no cookies: the ADMIN's own sign-in stays). Errors: NOT_FOUND for an unknown or deleted account; FORBIDDEN (extensions.reason ADMIN_TARGET) for an ADMIN; CONFLICT for a disabled account; BAD_USER_INPUT for a blank or too long reason; FORBIDDEN (IMPERSONATION) from an impersonated session.",
  })
  async impersonateUser(
    @Arg("userId", () => ID, { description: "The account to act as: not an ADMIN, not disabled or deleted." }) userId: string,
    @Arg("reason", () => String, { description: "Why, for the audit trail: not blank, at most 500 characters." }) reason: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    return toAuthPayload(await ctx.services.impersonation.impersonate(ctx.viewer!, userId, reason, ctx.origin));
  }
}

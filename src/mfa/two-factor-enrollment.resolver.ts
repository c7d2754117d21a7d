import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RecentAuthentication } from "../graphql/recent-auth";
import { RecoveryCodes, TotpEnrollment } from "./two-factor.types";

@Resolver()
export class TwoFactorEnrollmentResolver {
  /** Nothing is active until confirmTwoFactorEnrollment receives a code from this secret. */
  @Authorized()
  @RecentAuthentication()
  @Mutation(() => TotpEnrollment, {
    description:
      "Starts turning on time-based codes (TOTP, RFC 6238: 6 digits every 30 seconds) for the signed-in user; beginning again replaces an unconfirmed secret. Needs a recent authentication (FORBIDDEN with extensions.reason REAUTHENTICATION_REQUIRED otherwise). CONFLICT when two-factor authentication is already on.",
  })
  beginTotpEnrollment(@Ctx() ctx: GraphQLContext): Promise<TotpEnrollment> {
    return ctx.services.mfa.enrollment.begin(ctx.viewer!.user, "TOTP");
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => TotpEnrollment, {
    description:
      "Starts turning on counter-based codes (HOTP, RFC 4226): otpauth://hotp/... with counter=0. Otherwise like beginTotpEnrollment: recent authentication needed, CONFLICT when two-factor authentication is already on.",
  })
  beginHotpEnrollment(@Ctx() ctx: GraphQLContext): Promise<TotpEnrollment> {
    return ctx.services.mfa.enrollment.begin(ctx.viewer!.user, "HOTP");
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => RecoveryCodes, {
    description:
      "Turns two-factor authentication on with a code from the secret just enrolled, and returns the recovery codes, once. Needs a recent authentication. Errors: BAD_USER_INPUT (extensions.field code) for a wrong code, which counts toward the sign-in lockout (ACCOUNT_LOCKED); CONFLICT when no enrollment is in progress or two-factor authentication is already on.",
  })
  async confirmTwoFactorEnrollment(
    @Arg("code", () => String, { description: "A current code from the authenticator just set up. Never echoed back." }) code: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecoveryCodes> {
    return { codes: await ctx.services.mfa.enrollment.confirm(ctx.viewer!.user.id, code, ctx.origin) };
  }
}

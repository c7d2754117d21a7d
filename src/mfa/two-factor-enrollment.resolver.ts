import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RecentAuthentication } from "../graphql/recent-auth";
import { RecoveryCodes, TotpEnrollment } from "./two-factor.types";

@Resolver()
export class TwoFactorEnrollmentResolver {
  /** Nothing is active until confirmTwoFactorEnrollment receives a code from this secret. */
  @Authorized()
  @RecentAuthentication()
  @Mutation(() => TotpEnrollment)
  beginTotpEnrollment(@Ctx() ctx: GraphQLContext): Promise<TotpEnrollment> {
    return ctx.services.mfa.enrollment.begin(ctx.viewer!.user, "TOTP");
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => TotpEnrollment, { description: "otpauth://hotp/... with counter=0" })
  beginHotpEnrollment(@Ctx() ctx: GraphQLContext): Promise<TotpEnrollment> {
    return ctx.services.mfa.enrollment.begin(ctx.viewer!.user, "HOTP");
  }

  @Authorized()
  @RecentAuthentication()
  @Mutation(() => RecoveryCodes)
  async confirmTwoFactorEnrollment(@Arg("code", () => String) code: string, @Ctx() ctx: GraphQLContext): Promise<RecoveryCodes> {
    return { codes: await ctx.services.mfa.enrollment.confirm(ctx.viewer!.user.id, code, ctx.origin) };
  }
}

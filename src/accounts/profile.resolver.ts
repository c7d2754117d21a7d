import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { UpdateProfileInput } from "./profile.inputs";
import { User } from "./user.types";
import { TokenScope } from "../graphql/token-scope";

@Resolver()
export class ProfileResolver {
  @Authorized()
  @TokenScope("write:profile")
  @Mutation(() => User, {
    description:
      "Changes the signed-in user's username, e-mail address or profile and returns the account. Errors: BAD_USER_INPUT and CONFLICT naming the field in extensions.field; FORBIDDEN (extensions.reason REAUTHENTICATION_REQUIRED) when email changes without a recent authentication.",
  })
  updateProfile(
    @Arg("input", () => UpdateProfileInput, { description: "The fields to change; those left out stay as they are." }) input: UpdateProfileInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<User> {
    // A new address is a new way to reset the password: only after a recent proof of identity.
    if (input.email !== undefined && input.email !== ctx.viewer!.user.email) ctx.services.recentAuth.require(ctx.viewer);
    return ctx.services.profiles.update(ctx.viewer!.user.id, { ...input }, ctx.origin);
  }

  @Authorized()
  @TokenScope("write:profile")
  @Mutation(() => User, {
    description: "Fills the signed-in user's profile with realistic fake details (name, contact, address, occupation and more), for demos and tests.",
  })
  generateFakeProfile(@Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.profiles.generateFake(ctx.viewer!.user.id, ctx.origin);
  }
}

import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { UpdateProfileInput } from "./profile.input";
import { User } from "./user.type";

@Resolver()
export class ProfileResolver {
  @Authorized()
  @Mutation(() => User)
  updateProfile(@Arg("input", () => UpdateProfileInput) input: UpdateProfileInput, @Ctx() ctx: GraphQLContext): Promise<User> {
    // A new address is a new way to reset the password: only after a recent proof of identity.
    if (input.email !== undefined && input.email !== ctx.viewer!.user.email) ctx.services.recentAuth.require(ctx.viewer);
    return ctx.services.profiles.update(ctx.viewer!.user.id, { ...input }, ctx.origin);
  }

  @Authorized()
  @Mutation(() => User, { description: "Fills the profile with realistic fake details" })
  generateFakeProfile(@Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.profiles.generateFake(ctx.viewer!.user.id, ctx.origin);
  }
}

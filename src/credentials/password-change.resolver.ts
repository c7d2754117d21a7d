import { Arg, Authorized, Ctx, Field, InputType, Mutation, Resolver } from "type-graphql";
import { MaxLength } from "class-validator";
import type { GraphQLContext } from "../graphql/context";

@InputType()
export class ChangePasswordInput {
  @Field(() => String) @MaxLength(4096) currentPassword!: string;
  @Field(() => String) @MaxLength(4096) newPassword!: string;
}

@Resolver()
export class PasswordChangeResolver {
  /** Revokes every other session of the user; the current one stays signed in. */
  @Authorized()
  @Mutation(() => Boolean)
  async changePassword(@Arg("input", () => ChangePasswordInput) input: ChangePasswordInput, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.passwordChange.change(ctx.viewer!, input.currentPassword, input.newPassword, ctx.origin);
    return true;
  }
}

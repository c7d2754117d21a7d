import { Arg, Authorized, Ctx, Field, InputType, Mutation, Resolver } from "type-graphql";
import { MaxLength } from "class-validator";
import type { GraphQLContext } from "../graphql/context";
import { NotWhileImpersonating } from "../graphql/recent-auth";

@InputType({ description: "The current password, as proof, and its replacement, for changePassword." })
export class ChangePasswordInput {
  @Field(() => String, {
    description: "The account's current password; a wrong one counts toward the sign-in lockout. Never echoed back.",
  })
  @MaxLength(4096)
  currentPassword!: string;
  @Field(() => String, {
    description:
      "The new password: 12 to 128 characters, not commonly used, not the username or e-mail address, not one of the last 5 (PASSWORD_POLICY with extensions.reasons otherwise). Never echoed back.",
  })
  @MaxLength(4096)
  newPassword!: string;
}

@Resolver()
export class PasswordChangeResolver {
  /** Revokes every other session of the user; the current one stays signed in. */
  @Authorized()
  @NotWhileImpersonating()
  @Mutation(() => Boolean, {
    description:
      "Replaces the signed-in user's password and ends every other session; the current one stays signed in. Returns true. Errors: BAD_USER_INPUT (extensions.field currentPassword) for a wrong current password or an account without one; ACCOUNT_LOCKED after too many wrong guesses; PASSWORD_POLICY.",
  })
  async changePassword(
    @Arg("input", () => ChangePasswordInput, { description: "The current and the new password." }) input: ChangePasswordInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.passwordChange.change(ctx.viewer!, input.currentPassword, input.newPassword, ctx.origin);
    return true;
  }
}

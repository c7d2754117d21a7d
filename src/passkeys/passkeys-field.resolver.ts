import { Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { User, hidesSecurityState } from "../accounts";
import { Passkey, toPasskey } from "./passkey.types";

@Resolver(() => User)
export class PasskeysFieldResolver {
  /** Visible to the user themself; everyone else, ADMIN included, sees an empty list. */
  @FieldResolver(() => [Passkey], {
    description: "The account's passkeys (at most 20). Visible to the user themself only; everyone else, ADMIN included, gets an empty list.",
  })
  async passkeys(@Root() user: User, @Ctx() ctx: GraphQLContext): Promise<Passkey[]> {
    if (!ctx.provenUserIds.has(user.id)) return [];
    return (await ctx.services.passkeys.management.list(user.id)).map(toPasskey);
  }

  /** How many, without what they are: for the admin console's user page. */
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "How many passkeys the account has. Visible to the user themself, MODERATOR and ADMIN (null to a MODERATOR reading an ADMIN account, as other security state); null for everyone else.",
  })
  async passkeyCount(@Root() user: User, @Ctx() ctx: GraphQLContext): Promise<number | null> {
    const role = ctx.viewer?.user.role;
    const mayRead = ctx.provenUserIds.has(user.id) || ((role === "ADMIN" || role === "MODERATOR") && !hidesSecurityState(ctx, user));
    return mayRead ? ctx.loaders.passkeyCount.load(user.id) : null;
  }
}

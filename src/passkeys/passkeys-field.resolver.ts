import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { User } from "../accounts";
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
}

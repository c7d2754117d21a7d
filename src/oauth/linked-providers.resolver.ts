import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { User } from "../accounts";

@Resolver(() => User)
export class LinkedProvidersResolver {
  /** Visible to the user themself and ADMIN; everyone else sees an empty list. */
  @FieldResolver(() => [String], {
    description: "The ids of the sign-in providers linked to the account (see oauthProviders). Visible to the user themself and ADMIN; an empty list for everyone else.",
  })
  async linkedProviders(@Root() user: User, @Ctx() ctx: GraphQLContext): Promise<string[]> {
    if (!ctx.provenUserIds.has(user.id) && ctx.viewer?.user.role !== "ADMIN") return [];
    return ctx.loaders.linkedProviders.load(user.id);
  }
}

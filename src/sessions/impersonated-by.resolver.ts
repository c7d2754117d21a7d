import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { User } from "../accounts";

@Resolver(() => User)
export class ImpersonatedByResolver {
  /** Read from the session the context builder already loaded: nothing to look up unless impersonated. */
  @FieldResolver(() => User, {
    nullable: true,
    description:
      "The ADMIN acting as this user in the request's own session (started by impersonateUser), so a client can show that the account is being impersonated. Null on every other user, and outside such a session.",
  })
  async impersonatedBy(@Root() user: User, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    const viewer = ctx.viewer;
    if (!viewer?.impersonatorId || viewer.user.id !== user.id) return null;
    return ctx.services.accounts.findById(viewer.impersonatorId);
  }
}

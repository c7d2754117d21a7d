import { Arg, Args, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { decodeCursor, pageSize, toConnection, type Connection } from "../graphql/pagination";
import { User } from "../accounts/user.type";
import { DEFAULT_USER_ORDER } from "./user-search.service";
import { UserConnection } from "./user-connection.type";
import { SearchUsersArgs, SetUserDisabledArgs, SetUserRoleArgs } from "./admin.args";
import type { AdminActor } from "./admin.service";

const actor = (ctx: GraphQLContext): AdminActor => ({ actorId: ctx.viewer!.user.id, origin: ctx.origin });

@Resolver()
export class AdminResolver {
  @Authorized("MODERATOR", "ADMIN")
  @Query(() => User, { nullable: true })
  user(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.services.accounts.findById(id);
  }

  @Authorized("MODERATOR", "ADMIN")
  @Query(() => UserConnection)
  async searchUsers(@Args(() => SearchUsersArgs) args: SearchUsersArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<User>> {
    const page = await ctx.services.userSearch.search(
      args.filter ?? {},
      args.orderBy ?? DEFAULT_USER_ORDER,
      { first: pageSize(args.first, 20), after: decodeCursor(args.after) },
      { hideAdminSignIns: ctx.viewer!.user.role !== "ADMIN" },
    );
    return toConnection(page);
  }

  @Authorized("ADMIN")
  @Mutation(() => User)
  setUserRole(@Args(() => SetUserRoleArgs) { userId, role }: SetUserRoleArgs, @Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.admin.setRole(actor(ctx), userId, role);
  }

  @Authorized("ADMIN")
  @Mutation(() => User, { description: "disabling revokes the user's sessions" })
  setUserDisabled(@Args(() => SetUserDisabledArgs) { userId, disabled }: SetUserDisabledArgs, @Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.admin.setDisabled(actor(ctx), userId, disabled);
  }

  @Authorized("ADMIN")
  @Mutation(() => Int)
  revokeUserSessions(@Arg("userId", () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.services.admin.revokeSessions(actor(ctx), userId);
  }
}

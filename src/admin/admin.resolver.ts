import { Arg, Args, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { decodeCursor, pageSize, toConnection, type Connection } from "../graphql/pagination";
import { User } from "../accounts";
import { DEFAULT_USER_ORDER } from "./user-search.service";
import { UserConnection } from "./user-connection.types";
import { SearchUsersArgs, SetUserDisabledArgs, SetUserRoleArgs } from "./admin.inputs";
import type { AdminActor } from "./admin.service";

const actor = (ctx: GraphQLContext): AdminActor => ({ actorId: ctx.viewer!.user.id, origin: ctx.origin });

@Resolver()
export class AdminResolver {
  @Authorized("MODERATOR", "ADMIN")
  @Query(() => User, {
    nullable: true,
    description: "An account by id, for MODERATOR and ADMIN (FORBIDDEN for others); null when there is none or it was deleted.",
  })
  user(@Arg("id", () => ID, { description: "The account's id." }) id: string, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.services.accounts.findById(id);
  }

  @Authorized("MODERATOR", "ADMIN")
  @Query(() => UserConnection, {
    description:
      "Finds accounts by text and filters, one page at a time, for MODERATOR and ADMIN (FORBIDDEN for others). Deleted accounts are left out. RATE_LIMITED beyond RATE_LIMIT_SEARCH_USERS (default 120 a minute).",
  })
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
  @Mutation(() => User, {
    description:
      "Gives an account another role, from the next request on; ADMIN only, with a recent authentication (FORBIDDEN with extensions.reason REAUTHENTICATION_REQUIRED otherwise). Audited. NOT_FOUND for an unknown or deleted account; CONFLICT when it would demote the last active ADMIN.",
  })
  setUserRole(@Args(() => SetUserRoleArgs) { userId, role }: SetUserRoleArgs, @Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.admin.setRole(actor(ctx), userId, role);
  }

  @Authorized("ADMIN")
  @Mutation(() => User, {
    description:
      "Disables an account, which cannot then sign in and whose sessions are revoked at once, or enables it again; ADMIN only, with a recent authentication. Audited. NOT_FOUND for an unknown or deleted account; CONFLICT when it would disable the last active ADMIN.",
  })
  setUserDisabled(@Args(() => SetUserDisabledArgs) { userId, disabled }: SetUserDisabledArgs, @Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.admin.setDisabled(actor(ctx), userId, disabled);
  }

  @Authorized("ADMIN")
  @Mutation(() => Int, {
    description:
      "Ends every session of an account and returns how many were active; ADMIN only, with a recent authentication. Audited. NOT_FOUND for an unknown or deleted account.",
  })
  revokeUserSessions(@Arg("userId", () => ID, { description: "The account whose sessions end." }) userId: string, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.services.admin.revokeSessions(actor(ctx), userId);
  }
}

import { Arg, Args, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { decodeCursor, pageSize, toConnection, type Connection } from "../graphql/pagination";
import { User, hidesSecurityState } from "../accounts";
import { Session } from "../sessions";
import { DEFAULT_USER_ORDER } from "./user-search.service";
import { UserConnection } from "./user-connection.types";
import { AdminCreateUserInput, AdminUpdateUserInput, RevokeUserSessionArgs, SearchUsersArgs, SetUserDisabledArgs, SetUserRoleArgs } from "./admin.inputs";
import type { AdminActor } from "./admin.service";
import { TokenScope } from "../graphql/token-scope";

const actor = (ctx: GraphQLContext): AdminActor => ({ actorId: ctx.viewer!.user.id, origin: ctx.origin });

@Resolver()
export class AdminResolver {
  @Authorized("MODERATOR", "ADMIN")
  @TokenScope("admin:read")
  @Query(() => User, {
    nullable: true,
    description: "An account by id, for MODERATOR and ADMIN (FORBIDDEN for others); null when there is none or it was deleted.",
  })
  user(@Arg("id", () => ID, { description: "The account's id." }) id: string, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.services.accounts.findById(id);
  }

  @Authorized("MODERATOR", "ADMIN")
  @TokenScope("admin:read")
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
      "Disables an account, which cannot then sign in and whose sessions are revoked at once, or enables it again; ADMIN only, with a recent authentication. A ban may give a reason and an end (until): past it the account signs in and reads as enabled again by itself. Disabling a disabled account replaces its reason and end. Audited. NOT_FOUND for an unknown or deleted account; BAD_USER_INPUT for an until not in the future or a bad reason; CONFLICT when it would disable the last active ADMIN.",
  })
  setUserDisabled(@Args(() => SetUserDisabledArgs) { userId, disabled, reason, until }: SetUserDisabledArgs, @Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.admin.setDisabled(actor(ctx), userId, disabled, { reason, until });
  }

  @Authorized("MODERATOR", "ADMIN")
  @TokenScope("admin:read")
  @Query(() => [Session], {
    description:
      "An account's sessions that can still be used, most recently used first, for MODERATOR and ADMIN (FORBIDDEN for others); current marks the caller's own. NOT_FOUND for an unknown or deleted account. Empty to a MODERATOR reading an ADMIN account.",
  })
  async userSessions(@Arg("userId", () => ID, { description: "The account whose sessions to list." }) userId: string, @Ctx() ctx: GraphQLContext): Promise<Session[]> {
    const rows = await ctx.services.admin.userSessions(userId, (user) => hidesSecurityState(ctx, user));
    return rows.map((row) => ({ ...row, current: row.id === ctx.viewer!.sessionId }));
  }

  @Authorized("ADMIN")
  @Mutation(() => User, {
    description:
      "Creates an account, with the sign-up rules for username, email and password (no secret passkey); ADMIN only, with a recent authentication. Without a password, a set-password link (PUBLIC_URL/reset-password?token=..., valid as long as a verification link) goes to email, and following it also verifies the address; with one, the address gets a verification link. The address is unverified until then. Audited. BAD_USER_INPUT without both password and email; PASSWORD_POLICY; CONFLICT for a taken username or verified address.",
  })
  createUser(@Arg("input", () => AdminCreateUserInput, { description: "The new account." }) input: AdminCreateUserInput, @Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.admin.createUser(actor(ctx), input);
  }

  @Authorized("ADMIN")
  @Mutation(() => User, {
    description:
      "Changes an account's username, e-mail address (replaced at once, no confirmation round), its verified flag and profile; ADMIN only, with a recent authentication. Audited. NOT_FOUND for an unknown or deleted account; BAD_USER_INPUT naming the field; CONFLICT for a taken username or verified address.",
  })
  updateUser(
    @Arg("userId", () => ID, { description: "The account to change." }) userId: string,
    @Arg("input", () => AdminUpdateUserInput, { description: "The changes." }) input: AdminUpdateUserInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<User> {
    return ctx.services.admin.updateUser(actor(ctx), userId, input);
  }

  @Authorized("ADMIN")
  @Mutation(() => Boolean, {
    description:
      "Mails a password-reset link to the account's address, verified or not (the ADMIN vouches for it; following the link proves the mailbox); ADMIN only, with a recent authentication. Audited. Returns true. NOT_FOUND for an unknown or deleted account; BAD_USER_INPUT (field userId) when it has no address.",
  })
  sendPasswordReset(@Arg("userId", () => ID, { description: "The account to mail." }) userId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.admin.sendPasswordReset(actor(ctx), userId);
  }

  @Authorized("ADMIN")
  @Mutation(() => Boolean, {
    description:
      "Deletes an account as deleteAccount does (soft: the row stays for the audit trail, personal data, ways in and sessions go); ADMIN only, with a recent authentication. Audited. Returns true. NOT_FOUND for an unknown or deleted account; CONFLICT (extensions.reason LAST_ADMIN) for the last active ADMIN.",
  })
  deleteUser(@Arg("userId", () => ID, { description: "The account to delete." }) userId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.admin.deleteUser(actor(ctx), userId);
  }

  @Authorized("ADMIN")
  @Mutation(() => Boolean, {
    description:
      "Ends one session of an account; it is refused from the next request on. ADMIN only, with a recent authentication. Audited. true when it was revoked, false when it had already ended; NOT_FOUND for an unknown or deleted account or a session that is not that account's.",
  })
  revokeUserSession(@Args(() => RevokeUserSessionArgs) { userId, sessionId }: RevokeUserSessionArgs, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.admin.revokeUserSession(actor(ctx), userId, sessionId);
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

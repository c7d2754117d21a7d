import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { NotWhileImpersonating } from "../graphql/recent-auth";
import { AuthPayload, Session } from "./session.types";
import { toAuthPayload } from "./auth-payload.mapper";
import { REFRESH_COOKIE, clearAuthCookies, readCookie, setAuthCookies } from "./auth-cookies";
import { Errors } from "../common/app-error";
import { TokenScope } from "../graphql/token-scope";

@Resolver()
export class SessionResolver {
  @Authorized()
  @TokenScope("read:profile")
  @Query(() => [Session], {
    description: "The signed-in user's active sessions, most recently used first (at most 200); current marks the one asking.",
  })
  async mySessions(@Ctx() ctx: GraphQLContext): Promise<Session[]> {
    const rows = await ctx.services.sessions.listActive(ctx.viewer!.user.id);
    return rows.map((row) => ({ ...row, current: row.id === ctx.viewer!.sessionId }));
  }

  /** Needs no access token. The refresh token comes as the argument or the lk_refresh cookie. */
  @Mutation(() => AuthPayload, {
    description:
      "Exchanges a refresh token for a new access token and a new refresh token (rotation); needs no access token. The session's authenticatedAt does not move. A refresh token presented again after it was used (later than REFRESH_REUSE_INTERVAL, default 10 seconds) revokes its whole session. A browser that sent the lk_refresh cookie gets the new tokens as cookies only. Errors: UNAUTHENTICATED for a missing, expired, used or revoked token; RATE_LIMITED (RATE_LIMIT_REFRESH_SESSION, default 60 a minute per IP).",
  })
  async refreshSession(
    @Arg("refreshToken", () => String, {
      nullable: true,
      description: "The refresh token from the last AuthPayload; leave it out to use the lk_refresh cookie. Never echoed back.",
    })
    refreshToken: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    const fromCookie = refreshToken ? undefined : readCookie(ctx.req, REFRESH_COOKIE);
    const presented = refreshToken ?? fromCookie;
    if (!presented) throw Errors.unauthenticated("A refresh token is required");
    const payload = await ctx.services.refreshRotation.refresh(presented, ctx.origin);
    // A browser that refreshed through the cookie gets its next tokens the same way, and only so.
    if (fromCookie) setAuthCookies(ctx.res, payload, ctx.services.secureCookies);
    ctx.provenUserIds.add(payload.user.id);
    return toAuthPayload(payload, fromCookie !== undefined);
  }

  @Authorized()
  @Mutation(() => Session, {
    description:
      "Chooses the organization the current session acts for: access tokens minted for this session from now on (refreshes included) carry org_id and org_role while the user is a member; null clears it. The role is read from the database on every request, so a removal or a role change applies at once. NOT_FOUND when the user is not a member of the organization.",
  })
  async setActiveOrganization(
    @Arg("id", () => ID, { nullable: true, description: "The organization to act for; null to act for none." }) id: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Session> {
    const row = await ctx.services.activeOrganization.set(ctx.viewer!, id ?? null);
    return { ...row, current: true };
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: "Ends the current session and revokes the access token that asked, at once, and clears the auth cookies; in an impersonated session (impersonateUser) this is how the impersonation ends. Returns true.",
  })
  async logout(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.sessionRevocation.logout(ctx.viewer!, ctx.origin);
    clearAuthCookies(ctx.res, ctx.services.secureCookies);
    return true;
  }

  @Authorized()
  @NotWhileImpersonating()
  @Mutation(() => Int, {
    description: "Ends every session of the signed-in user, the current one too, and clears the auth cookies; returns how many were active. FORBIDDEN (extensions.reason IMPERSONATION) in an impersonated session: the user's own sessions are not the ADMIN's to end (logout ends the impersonation).",
  })
  async logoutAllSessions(@Ctx() ctx: GraphQLContext): Promise<number> {
    const count = await ctx.services.sessionRevocation.logoutAll(ctx.viewer!, ctx.origin);
    clearAuthCookies(ctx.res, ctx.services.secureCookies);
    return count;
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      "Ends one of the signed-in user's own sessions (the current one too, clearing the cookies); it is refused from the next request on. NOT_FOUND for an id that is not one of the caller's sessions; FORBIDDEN (extensions.reason IMPERSONATION) for another session than the current one in an impersonated session. Returns true.",
  })
  async revokeSession(@Arg("id", () => ID, { description: "The session's id, from mySessions." }) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.sessionRevocation.revokeOwn(ctx.viewer!, id, ctx.origin);
    if (id === ctx.viewer!.sessionId) clearAuthCookies(ctx.res, ctx.services.secureCookies);
    return true;
  }
}

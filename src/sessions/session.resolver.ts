import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { AuthPayload, Session } from "./session.type";
import { toAuthPayload } from "./auth-payload.mapper";
import { REFRESH_COOKIE, clearAuthCookies, readCookie, setAuthCookies } from "./auth-cookies";
import { Errors } from "../common/app-error";

@Resolver()
export class SessionResolver {
  @Authorized()
  @Query(() => [Session])
  async mySessions(@Ctx() ctx: GraphQLContext): Promise<Session[]> {
    const rows = await ctx.services.sessions.listActive(ctx.viewer!.user.id);
    return rows.map((row) => ({ ...row, current: row.id === ctx.viewer!.sessionId }));
  }

  /** Needs no access token. The refresh token comes as the argument or the lk_refresh cookie. */
  @Mutation(() => AuthPayload)
  async refreshSession(
    @Arg("refreshToken", () => String, { nullable: true }) refreshToken: string | null,
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
  @Mutation(() => Boolean)
  async logout(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.sessionRevocation.logout(ctx.viewer!, ctx.origin);
    clearAuthCookies(ctx.res, ctx.services.secureCookies);
    return true;
  }

  @Authorized()
  @Mutation(() => Int)
  async logoutAllSessions(@Ctx() ctx: GraphQLContext): Promise<number> {
    const count = await ctx.services.sessionRevocation.logoutAll(ctx.viewer!, ctx.origin);
    clearAuthCookies(ctx.res, ctx.services.secureCookies);
    return count;
  }

  @Authorized()
  @Mutation(() => Boolean)
  async revokeSession(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.sessionRevocation.revokeOwn(ctx.viewer!, id, ctx.origin);
    if (id === ctx.viewer!.sessionId) clearAuthCookies(ctx.res, ctx.services.secureCookies);
    return true;
  }
}

import type { GraphQLContext } from "../graphql/context";
import type { AuthPayloadData } from "./session.service";
import type { AuthPayload } from "./session.type";
import { toAuthPayload } from "./auth-payload.mapper";
import { setAuthCookies } from "./auth-cookies";

/** How every completed sign-in answers: the caller owns the account now; cookies (and no tokens in the body) in cookie mode. */
export function signedInResponse(ctx: GraphQLContext, payload: AuthPayloadData, cookie: boolean): AuthPayload {
  ctx.provenUserIds.add(payload.user.id);
  if (cookie) setAuthCookies(ctx.res, payload, ctx.services.secureCookies);
  return toAuthPayload(payload, cookie);
}

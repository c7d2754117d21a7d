import type { GraphQLContext } from "../graphql/context";
import { type AuthPayloadData, type AuthPayload, toAuthPayload, setAuthCookies, setDeviceCookie } from "../sessions";

/** How every completed sign-in answers: the caller owns the account now; cookies (and no tokens in the body) in cookie mode. */
export function signedInResponse(ctx: GraphQLContext, payload: AuthPayloadData, cookie: boolean): AuthPayload {
  ctx.provenUserIds.add(payload.user.id);
  if (cookie) setAuthCookies(ctx.res, payload, ctx.services.secureCookies);
  // The device this sign-in was recorded under (security notices), for the next sign-in to present.
  const device = ctx.origin.device;
  if (device && !device.fromCookie) setDeviceCookie(ctx.res, device.id, ctx.services.secureCookies);
  return toAuthPayload(payload, cookie);
}

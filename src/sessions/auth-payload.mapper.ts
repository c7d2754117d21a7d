import type { AuthPayloadData } from "./session.service";
import type { AuthPayload } from "./session.types";

/**
 * The GraphQL shape of freshly issued tokens; the session is the caller's own, so `current`.
 * In cookie mode the tokens travel only in the httpOnly cookies: the body, which any script on
 * the page can read, carries neither.
 */
export function toAuthPayload(data: AuthPayloadData, cookieMode = false): AuthPayload {
  return {
    accessToken: cookieMode ? null : data.accessToken,
    accessTokenExpiresAt: data.accessTokenExpiresAt,
    refreshToken: cookieMode ? null : data.refreshToken,
    refreshTokenExpiresAt: data.refreshTokenExpiresAt,
    session: { ...data.session, current: true },
    user: data.user,
  };
}

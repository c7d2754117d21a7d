import type { AuthPayloadData } from "./session.service";
import type { AuthPayload } from "./session.type";

/** The GraphQL shape of freshly issued tokens; the session is the caller's own, so `current`. */
export function toAuthPayload(data: AuthPayloadData): AuthPayload {
  return {
    accessToken: data.accessToken,
    accessTokenExpiresAt: data.accessTokenExpiresAt,
    refreshToken: data.refreshToken,
    refreshTokenExpiresAt: data.refreshTokenExpiresAt,
    session: { ...data.session, current: true },
    user: data.user,
  };
}

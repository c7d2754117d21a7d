import type { ServerResponse } from "node:http";
import { stringifySetCookie } from "cookie";
import { randomToken } from "../common/tokens";

/**
 * A social sign-in is bound to the browser (or app) that started it, so a callback URL with
 * someone else's code and state cannot sign a victim into the other person's account (login
 * CSRF). startOAuthLogin hands out a binding secret twice: as the httpOnly `lk_oauth` cookie
 * (browsers send it back by themselves) and in its answer (`binding`, for apps without cookies:
 * they keep it in their own storage, never in the redirect URL, and send it at completion).
 * The flow stores only its hash; completion needs one of the two to match.
 */
export const OAUTH_FLOW_COOKIE = "lk_oauth";

const BINDING_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The browser's binding: the one its cookie already holds (flows in other tabs keep working), else a new one. */
export function flowBinding(fromCookie: string | undefined): string {
  return fromCookie && BINDING_PATTERN.test(fromCookie) ? fromCookie : randomToken();
}

/**
 * The cookie lives as long as a flow and goes only to the API's path. SameSite=Lax, not Strict:
 * it is a proof checked against the flow, never an authority, and the app's first request after
 * the provider's redirect must carry it.
 */
export function setFlowBindingCookie(res: ServerResponse, binding: string, secure: boolean, maxAgeMs: number): void {
  res.appendHeader(
    "set-cookie",
    stringifySetCookie(OAUTH_FLOW_COOKIE, binding, { httpOnly: true, sameSite: "lax", secure, path: "/graphql", maxAge: Math.floor(maxAgeMs / 1000) }),
  );
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { parse, stringifySetCookie, type SerializeOptions } from "cookie";

export const ACCESS_COOKIE = "lk_access";
export const REFRESH_COOKIE = "lk_refresh";

/** httpOnly cookies for browser apps that asked for cookie mode; Secure outside development. */
export function setAuthCookies(
  res: ServerResponse,
  tokens: { accessToken: string; accessTokenExpiresAt: Date; refreshToken: string; refreshTokenExpiresAt: Date },
  secure: boolean,
): void {
  const base = { httpOnly: true, sameSite: "strict" as const, secure };
  setCookie(res, ACCESS_COOKIE, tokens.accessToken, { ...base, path: "/", expires: tokens.accessTokenExpiresAt });
  setCookie(res, REFRESH_COOKIE, tokens.refreshToken, { ...base, path: "/graphql", expires: tokens.refreshTokenExpiresAt });
}

export const DEVICE_COOKIE = "lk_device";
const DEVICE_COOKIE_MAX_AGE_SECONDS = 2 * 365 * 24 * 3600;
// randomToken's form: 32 random bytes, base64url.
const DEVICE_ID = /^[A-Za-z0-9_-]{43}$/;

/** The lk_device cookie's value when it has the form this server gives it (notices/security-notices.ts). */
export function deviceIdFrom(req: IncomingMessage): string | undefined {
  const value = readCookie(req, DEVICE_COOKIE);
  return value && DEVICE_ID.test(value) ? value : undefined;
}

/** The long-lived device cookie a sign-in sets when the browser had none; it grants nothing. */
export function setDeviceCookie(res: ServerResponse, deviceId: string, secure: boolean): void {
  setCookie(res, DEVICE_COOKIE, deviceId, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS });
}

export function clearAuthCookies(res: ServerResponse, secure: boolean): void {
  const base = { httpOnly: true, sameSite: "strict" as const, secure };
  // An empty value that expired long ago: the browser drops the cookie.
  setCookie(res, ACCESS_COOKIE, "", { ...base, path: "/", expires: new Date(1) });
  setCookie(res, REFRESH_COOKIE, "", { ...base, path: "/graphql", expires: new Date(1) });
}

/** Adds a Set-Cookie header (on node's response, so it works on both ways into the API). */
function setCookie(res: ServerResponse, name: string, value: string, options: SerializeOptions): void {
  res.appendHeader("set-cookie", stringifySetCookie(name, value, options));
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[name] || undefined;
}

/** Whether the request carries the lk_refresh cookie (sent only to /graphql). */
export function hasRefreshCookie(req: IncomingMessage): boolean {
  return readCookie(req, REFRESH_COOKIE) !== undefined;
}

/** The access token from `Authorization: Bearer`, else from the lk_access cookie. */
export function accessTokenFrom(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1];
  }
  return readCookie(req, ACCESS_COOKIE);
}

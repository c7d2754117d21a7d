import type { Request, Response } from "express";
import { parse } from "cookie";

export const ACCESS_COOKIE = "lk_access";
export const REFRESH_COOKIE = "lk_refresh";

/** httpOnly cookies for browser apps that asked for cookie mode; Secure outside development. */
export function setAuthCookies(
  res: Response,
  tokens: { accessToken: string; accessTokenExpiresAt: Date; refreshToken: string; refreshTokenExpiresAt: Date },
  secure: boolean,
): void {
  const base = { httpOnly: true, sameSite: "strict" as const, secure };
  res.cookie(ACCESS_COOKIE, tokens.accessToken, { ...base, path: "/", expires: tokens.accessTokenExpiresAt });
  res.cookie(REFRESH_COOKIE, tokens.refreshToken, { ...base, path: "/graphql", expires: tokens.refreshTokenExpiresAt });
}

export function clearAuthCookies(res: Response, secure: boolean): void {
  const base = { httpOnly: true, sameSite: "strict" as const, secure };
  res.clearCookie(ACCESS_COOKIE, { ...base, path: "/" });
  res.clearCookie(REFRESH_COOKIE, { ...base, path: "/graphql" });
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[name] || undefined;
}

/** The access token from `Authorization: Bearer`, else from the lk_access cookie. */
export function accessTokenFrom(req: Request): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1];
  }
  return readCookie(req, ACCESS_COOKIE);
}

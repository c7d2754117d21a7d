import type { IncomingMessage, ServerResponse } from "node:http";
import { stringifySetCookie } from "cookie";
import { randomToken, sha256 } from "../common/tokens";
import { readCookie } from "../sessions";
import { MAGIC_LINK_PATH } from "./magic-link-url";

/** The cookie that binds a sign-in link to the browser that asked for it: a random nonce, its hash stored with the link. */
export const BINDING_COOKIE = "lk_magic";
// randomToken's form: 32 random bytes, base64url.
const NONCE = /^[A-Za-z0-9_-]{43}$/;
// Sent only where a link is followed: this server's page and the API.
const PATHS = [MAGIC_LINK_PATH, "/graphql"];

/** The browser's binding nonce, when it has one of the form this server gives. */
export function bindingNonceFrom(req: IncomingMessage): string | undefined {
  const value = readCookie(req, BINDING_COOKIE);
  return value && NONCE.test(value) ? value : undefined;
}

/**
 * Whether a browser asks: the request comes from a page (it names its Origin) on an origin the
 * CORS rules let send credentials. A native app or a server names none and gets an unbound link.
 */
export function fromBrowser(req: IncomingMessage, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  return typeof origin === "string" && allowedOrigins.has(origin);
}

/**
 * Binds the link about to be issued to this browser: its nonce (a new one unless it has one),
 * set as an HttpOnly, SameSite=Lax cookie on the paths a link is followed at. Returns the hash to store.
 */
export function bindBrowser(req: IncomingMessage, res: ServerResponse, options: { secure: boolean; maxAgeSeconds: number }): string {
  const nonce = bindingNonceFrom(req) ?? randomToken();
  for (const path of PATHS) {
    res.appendHeader(
      "set-cookie",
      stringifySetCookie(BINDING_COOKIE, nonce, { httpOnly: true, sameSite: "lax", secure: options.secure, path, maxAge: options.maxAgeSeconds }),
    );
  }
  return sha256(nonce);
}

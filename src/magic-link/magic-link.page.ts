import { createHmac, timingSafeEqual } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { stringifySetCookie } from "cookie";
import { AppError, ErrorCode } from "../common/app-error";
import { randomToken } from "../common/tokens";
import type { RequestOrigin } from "../common/request-origin";
import { pageRequestOrigin, readCookie, setAuthCookies, setDeviceCookie } from "../sessions";
import type { MagicLinkService } from "./magic-link.service";
import { bindingNonceFrom } from "./browser-binding";
import { MAGIC_LINK_PATH } from "./magic-link-url";

export interface MagicLinkPageDeps {
  service: MagicLinkService;
  /** Keys the form's CSRF token (APP_SECRET). */
  secret: string;
  secureCookies: boolean;
  /** PUBLIC_URL's origin: the only one the form may be posted from. */
  publicOrigin: string;
  /** Where a sign-in may redirect (redirectUri's allowed origins): the page's form-action must let the redirect through. */
  allowedOrigins: ReadonlySet<string>;
  /** Counts one call against signInWithMagicLink's rate limits; seconds to wait when over. */
  rateLimit(origin: RequestOrigin): Promise<number | undefined>;
}

const FORM_COOKIE = "lk_magic_form";
const NONCE = /^[A-Za-z0-9_-]{43}$/;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

function csrfFor(secret: string, formNonce: string): string {
  return createHmac("sha256", secret).update(`magic-link-form:${formNonce}`).digest("base64url");
}

function send(res: Response, status: number, html: string, redirectOrigins: ReadonlySet<string> = new Set()): void {
  res.status(status);
  // No script and no style at all; the form posts only here (browsers also hold the redirect
  // after the post to form-action: the origins a redirectUri may name are listed).
  const formAction = ["'self'", ...redirectOrigins].join(" ");
  res.setHeader("Content-Security-Policy", `default-src 'none'; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`);
  // Browsers name no Origin (send "null") on a form post from a no-referrer page: same-origin
  // lets the post say where it comes from, and sends nothing to other origins.
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Cache-Control", "no-store");
  res.type("html").send(html);
}

const originOf = (req: Request): RequestOrigin => pageRequestOrigin(req as Request & { id?: string });

/**
 * The page a mailed sign-in link opens. GET spends nothing (mail scanners fetch links): it shows
 * a button. The button POSTs the token with a CSRF token tied to a cookie only this page sets;
 * the sign-in then sets the session cookies and redirects to the link's redirectUri (or APP_URL).
 * A two-factor account is redirected with `#magicLinkChallenge=<challengeToken>` for the app to
 * finish with verifyTwoFactorLogin.
 */
export function magicLinkPage(deps: MagicLinkPageDeps): Router {
  const router = express.Router();

  router.get(MAGIC_LINK_PATH, (req: Request, res: Response) => {
    const token = typeof req.query.token === "string" ? req.query.token : "";
    if (!token) {
      send(res, 400, page("Sign-in link", "<p>This sign-in link is not complete: open the whole link from the mail.</p>"));
      return;
    }
    const existing = readCookie(req, FORM_COOKIE);
    const formNonce = existing && NONCE.test(existing) ? existing : randomToken();
    res.appendHeader(
      "set-cookie",
      stringifySetCookie(FORM_COOKIE, formNonce, { httpOnly: true, sameSite: "strict", secure: deps.secureCookies, path: MAGIC_LINK_PATH }),
    );
    send(
      res,
      200,
      page(
        "Sign in",
        `<p>Sign in with the link you asked for.</p>
<form method="post" action="${MAGIC_LINK_PATH}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<input type="hidden" name="csrf" value="${csrfFor(deps.secret, formNonce)}">
<button type="submit" autofocus>Sign in</button>
</form>`,
      ),
      deps.allowedOrigins,
    );
  });

  router.post(MAGIC_LINK_PATH, express.urlencoded({ extended: false, limit: "8kb" }), async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === "string" ? body.token : "";
    const csrf = typeof body.csrf === "string" ? body.csrf : "";
    const formNonce = readCookie(req, FORM_COOKIE);
    const expected = formNonce && NONCE.test(formNonce) ? Buffer.from(csrfFor(deps.secret, formNonce)) : undefined;
    const given = Buffer.from(csrf);
    // The form's cookie (SameSite=Strict) and its HMAC are the check; the Origin and Fetch
    // Metadata headers, when the browser sends them, must also say this page posted it.
    const origin = req.headers.origin;
    const site = req.headers["sec-fetch-site"];
    const sameOrigin = (origin === undefined || origin === deps.publicOrigin) && (site === undefined || site === "same-origin");
    if (!expected || !sameOrigin || given.length !== expected.length || !timingSafeEqual(given, expected) || !token) {
      send(res, 403, page("Sign-in link", "<p>This form has expired. Open the link from the mail again.</p>"));
      return;
    }
    const requestOrigin = originOf(req);
    const wait = await deps.rateLimit(requestOrigin);
    if (wait !== undefined) {
      res.setHeader("Retry-After", String(wait));
      send(res, 429, page("Sign-in link", `<p>Too many attempts; try again in ${wait} seconds.</p>`));
      return;
    }
    try {
      const { result, redirectUri } = await deps.service.signInWith(token, { cookie: true }, bindingNonceFrom(req), requestOrigin);
      if ("challengeToken" in result) {
        res.redirect(303, `${redirectUri.split("#")[0]}#magicLinkChallenge=${encodeURIComponent(result.challengeToken)}`);
        return;
      }
      setAuthCookies(res, result, deps.secureCookies);
      if (!requestOrigin.device?.fromCookie && requestOrigin.device) setDeviceCookie(res, requestOrigin.device.id, deps.secureCookies);
      res.redirect(303, redirectUri);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const status = error.code === ErrorCode.FORBIDDEN ? 403 : error.code === ErrorCode.RATE_LIMITED ? 429 : 400;
      send(res, status, page("Sign-in link", `<p role="alert">${escapeHtml(error.message)}</p>`));
    }
  });

  return router;
}

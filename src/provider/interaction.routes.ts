import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type Request, type Response, type Router } from "express";
import { AppError, ErrorCode, Errors } from "../common/app-error";
import type { RequestOrigin } from "../common/request-origin";
import { accessTokenFrom, pageRequestOrigin, setAuthCookies, setDeviceCookie } from "../sessions";
import { PASSKEY_JS, PAGES_CSS } from "./pages/assets";
import { PAGE_ASSETS, PAGE_CSP } from "./pages/html";
import { consentPage, errorPage, sameSiteReloadPage, signInPage, twoFactorPage, type FormTarget } from "./pages/interaction-pages";

/** The interaction as oidc-provider's interactionDetails answers it (the parts read here). */
export interface InteractionDetails {
  uid: string;
  prompt: { name: string; reasons?: string[]; details: Record<string, unknown> };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  grantId?: string;
}

interface GrantLike {
  jti?: string;
  accountId?: string;
  clientId?: string;
  getOIDCScope(): string;
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(indicator: string, scope: string): void;
  save(): Promise<string>;
}

/** What the interaction pages use of the engine (oidc-provider's documented interaction API). */
export interface InteractionProvider {
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): GrantLike; find(id: string): Promise<GrantLike | undefined> };
  Client: { find(id: string): Promise<{ clientId: string; clientName?: string; first_party?: boolean } | undefined> };
}

/** Tokens of a completed Latchkey sign-in (the sign-in feature's AuthPayloadData, the parts used). */
interface SignedIn {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: { id: string };
}

/** The sign-in feature's services, as the GraphQL login and verifyTwoFactorLogin use them. */
export interface InteractionSignIn {
  /** Password sign-in: every rule of `login` (lockout, disabled accounts, the generic failure, audit). */
  login(input: { identifier: string; password: string; cookie: boolean }, origin: RequestOrigin): Promise<SignedIn | { challengeToken: string }>;
  /** The second factor (`verifyTwoFactorLogin`'s rules). */
  verifyTwoFactor(challengeToken: string, code: string, origin: RequestOrigin): Promise<SignedIn>;
  /** Counts one call against the rate limits of a GraphQL field (`login`, `verifyTwoFactorLogin`); seconds to wait when over. */
  rateLimit(field: "login" | "verifyTwoFactorLogin", args: Record<string, unknown>, origin: RequestOrigin): Promise<number | undefined>;
  /** The user of a Latchkey access token (the lk_access cookie), checked as every request's is; undefined when not valid. */
  signedInUser(accessToken: string): Promise<{ id: string; sessionId: string; impersonated: boolean } | undefined>;
}

export interface InteractionDeps {
  /** The running engine (it is remade after a key rotation); undefined while the provider is off. */
  provider: () => InteractionProvider | undefined;
  signIn: InteractionSignIn;
  /** The live grants (consents) an account gave a client, newest first: consent is remembered across browsers. */
  grantIdsFor(accountId: string, clientId: string): Promise<string[]>;
  /** What the consent page calls the signed-in account. */
  accountName(userId: string): Promise<string | undefined>;
  /** Keys the forms' CSRF tokens (APP_SECRET). */
  secret: string;
  secureCookies: boolean;
  logger: { error(details: object, message: string): void };
}

const INTERACTION_PATH = "/oidc/interaction";

/** The CSRF token of one interaction's forms: bound to its uid, which only its own browser's cookie opens. */
function csrfToken(secret: string, uid: string): string {
  return createHmac("sha256", secret).update(`oidc-interaction-form:${uid}`).digest("base64url");
}

function csrfValid(secret: string, uid: string, presented: unknown): boolean {
  if (typeof presented !== "string") return false;
  const expected = Buffer.from(csrfToken(secret, uid));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sendPage(res: Response, status: number, html: string): void {
  res.status(status);
  res.setHeader("Content-Security-Policy", PAGE_CSP);
  res.setHeader("Cache-Control", "no-store");
  res.type("html").send(html);
}

const originOf = (req: Request): RequestOrigin => pageRequestOrigin(req as Request & { id?: string });

/** What the person reads for a refused sign-in: the same words as the API's, never which part was wrong. */
function failureText(error: unknown): string | undefined {
  if (!(error instanceof AppError)) return undefined;
  switch (error.code) {
    case ErrorCode.UNAUTHENTICATED:
      return error.message;
    case ErrorCode.ACCOUNT_LOCKED:
    case ErrorCode.RATE_LIMITED:
      return `Too many attempts; try again in ${Number(error.extensions.retryAfterSeconds ?? 60)} seconds.`;
    case ErrorCode.FORBIDDEN:
      return "This account is disabled.";
    default:
      return undefined;
  }
}

function failureStatus(error: AppError): number {
  if (error.code === ErrorCode.RATE_LIMITED || error.code === ErrorCode.ACCOUNT_LOCKED) return 429;
  if (error.code === ErrorCode.FORBIDDEN) return 403;
  return 401;
}

const field = (body: unknown, name: string): string | undefined => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : undefined;
};

/**
 * The sign-in and consent pages at the interaction URL the authorization endpoint redirects to:
 * GET shows the step the engine asks for (login or consent), POST takes its form. Sign-in goes
 * through the sign-in feature's own services, so every rule of the GraphQL login holds; an
 * existing Latchkey session (lk_access) skips the form; first-party clients skip consent.
 */
export function interactionRoutes(deps: InteractionDeps): Router {
  const router = express.Router();
  const { signIn } = deps;
  const engine = (): InteractionProvider => {
    const provider = deps.provider();
    if (!provider) throw new Error("the OpenID Provider is not running");
    return provider;
  };

  router.get(PAGE_ASSETS.stylesheet, (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=3600");
    res.type("css").send(PAGES_CSS);
  });
  router.get(PAGE_ASSETS.passkeyScript, (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=3600");
    res.type("application/javascript").send(PASSKEY_JS);
  });

  const formOf = (uid: string): FormTarget => ({ action: `${INTERACTION_PATH}/${encodeURIComponent(uid)}`, csrfToken: csrfToken(deps.secret, uid) });

  const clientName = async (details: InteractionDetails): Promise<string> => {
    const clientId = String(details.params.client_id ?? "");
    const client = await engine().Client.find(clientId);
    return client?.clientName ?? clientId;
  };

  /** First-party clients (OAuthClient.firstParty) skip the consent page. */
  const isFirstParty = async (clientId: string): Promise<boolean> => (await engine().Client.find(clientId))?.first_party === true;

  /** The interaction of this browser at this uid, or undefined (a page saying so was sent). */
  const load = async (req: Request, res: Response): Promise<InteractionDetails | undefined> => {
    let details: InteractionDetails;
    try {
      details = await engine().interactionDetails(req, res);
    } catch {
      sendPage(res, 400, errorPage("Sign-in expired", "This sign-in request has expired or is not valid. Return to the application and start again."));
      return undefined;
    }
    if (details.uid !== req.params.uid) {
      sendPage(res, 400, errorPage("Sign-in expired", "This sign-in request has expired or is not valid. Return to the application and start again."));
      return undefined;
    }
    return details;
  };

  /** `latchkeySession`: the Latchkey session that satisfied the sign-in (its active organization goes into the ID token). */
  const finishLogin = async (req: Request, res: Response, userId: string, amr: string[], latchkeySession?: string) => {
    await engine().interactionFinished(req, res, { login: { accountId: userId, amr, ...(latchkeySession ? { latchkeySession } : {}) } }, { mergeWithLastSubmission: false });
  };

  /** Records the consent as the engine's Grant (remembered per client and scope) and goes on. */
  const grantConsent = async (req: Request, res: Response, details: InteractionDetails) => {
    const accountId = details.session?.accountId;
    const clientId = String(details.params.client_id ?? "");
    if (!accountId) throw new Error("consent without a signed-in account");
    const { Grant } = engine();
    // This browser's grant, else the one the account gave the client elsewhere, else a new one.
    const grant = (details.grantId ? await Grant.find(details.grantId) : undefined) ?? (await rememberedGrant(accountId, clientId)) ?? new Grant({ accountId, clientId });
    const missing = details.prompt.details;
    if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims as string[]);
    if (missing.missingResourceScopes && typeof missing.missingResourceScopes === "object") {
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes as Record<string, string[]>)) grant.addResourceScope(indicator, scopes.join(" "));
    }
    const grantId = await grant.save();
    await engine().interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  };

  /** The account's newest live grant to the client, from any browser. */
  const rememberedGrant = async (accountId: string, clientId: string): Promise<GrantLike | undefined> => {
    const { Grant } = engine();
    for (const id of await deps.grantIdsFor(accountId, clientId)) {
      const grant = await Grant.find(id);
      if (grant && grant.accountId === accountId && grant.clientId === clientId) return grant;
    }
    return undefined;
  };

  /**
   * A consent given before, in another browser, that covers every scope asked for: used as is
   * (the engine only knows this browser's grants). prompt=consent always asks.
   */
  const coveringGrant = async (details: InteractionDetails): Promise<string | undefined> => {
    const accountId = details.session?.accountId;
    if (!accountId || details.grantId || (details.prompt.reasons ?? []).includes("consent_prompt")) return undefined;
    const missing = details.prompt.details;
    if (missing.missingOIDCClaims || missing.missingResourceScopes) return undefined;
    const grant = await rememberedGrant(accountId, String(details.params.client_id ?? ""));
    if (!grant?.jti) return undefined;
    const held = new Set(grant.getOIDCScope().split(" "));
    const wanted = Array.isArray(missing.missingOIDCScope) ? (missing.missingOIDCScope as string[]) : [];
    return wanted.every((scope) => held.has(scope)) ? grant.jti : undefined;
  };

  const showConsent = async (res: Response, details: InteractionDetails, status = 200) => {
    const accountId = details.session?.accountId ?? "";
    const missing = details.prompt.details;
    const requested = String(details.params.scope ?? "").split(" ").filter(Boolean);
    const scopes = Array.isArray(missing.missingOIDCScope) && missing.missingOIDCScope.length ? (missing.missingOIDCScope as string[]) : requested;
    sendPage(res, status, consentPage(formOf(details.uid), {
      clientName: await clientName(details),
      scopes,
      userName: (await deps.accountName(accountId)) ?? accountId,
    }));
  };

  /** A valid Latchkey session of the browser's own (not an ADMIN's impersonation): its user. */
  const cookieUser = async (req: Request): Promise<{ id: string; sessionId: string } | undefined> => {
    const token = accessTokenFrom(req);
    if (!token) return undefined;
    const user = await signIn.signedInUser(token).catch(() => undefined);
    return user && !user.impersonated ? { id: user.id, sessionId: user.sessionId } : undefined;
  };

  const completeSignIn = async (req: Request, res: Response, origin: RequestOrigin, signedIn: SignedIn, amr: string[]) => {
    // The browser is now signed in to Latchkey too: its next authorization skips the form.
    setAuthCookies(res, signedIn, deps.secureCookies);
    if (origin.device && !origin.device.fromCookie) setDeviceCookie(res, origin.device.id, deps.secureCookies);
    await finishLogin(req, res, signedIn.user.id, amr);
  };

  const handle = (work: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => {
    work(req, res).catch((error: unknown) => {
      deps.logger.error({ err: error, reqId: (req as Request & { id?: string }).id }, "interaction page failed");
      if (!res.headersSent) sendPage(res, 500, errorPage("Something went wrong", "The sign-in could not be completed. Return to the application and try again."));
    });
  };

  // With the provider off, its paths answer 404 like the engine's.
  router.use(INTERACTION_PATH, (_req, res, next) => (deps.provider() ? next() : res.status(404).end()));

  router.get(`${INTERACTION_PATH}/:uid`, handle(async (req, res) => {
    const details = await load(req, res);
    if (!details) return;
    const clientId = String(details.params.client_id ?? "");
    if (details.prompt.name === "login") {
      // prompt=login or max_age asks for a fresh sign-in: the cookie session does not do.
      const forced = (details.prompt.reasons ?? []).some((reason) => reason === "login_prompt" || reason === "max_age");
      const user = forced ? undefined : await cookieUser(req);
      if (user) return finishLogin(req, res, user.id, ["session"], user.sessionId);
      // A browser arriving from the client's site withholds the SameSite=Strict lk_access cookie
      // on this navigation: reload the page once from this origin, which sends it.
      if (!forced && req.headers["sec-fetch-site"] === "cross-site" && req.query.reload === undefined) {
        return sendPage(res, 200, sameSiteReloadPage(`${formOf(details.uid).action}?reload=1`));
      }
      return sendPage(res, 200, signInPage(formOf(details.uid), { clientName: await clientName(details), identifier: String(details.params.login_hint ?? "") }));
    }
    if (details.prompt.name === "consent") {
      if (await isFirstParty(clientId)) return grantConsent(req, res, details);
      const remembered = await coveringGrant(details);
      if (remembered) return engine().interactionFinished(req, res, { consent: { grantId: remembered } }, { mergeWithLastSubmission: true });
      return showConsent(res, details);
    }
    sendPage(res, 400, errorPage("Not supported", "This sign-in step is not supported."));
  }));

  router.post(`${INTERACTION_PATH}/:uid`, express.urlencoded({ extended: false, limit: "16kb" }), handle(async (req, res) => {
    const details = await load(req, res);
    if (!details) return;
    if (!csrfValid(deps.secret, details.uid, field(req.body, "csrf"))) {
      return sendPage(res, 403, errorPage("Request refused", "This form was not sent from this sign-in page. Go back and try again."));
    }
    const origin = originOf(req);
    const form = formOf(details.uid);

    if (details.prompt.name === "consent") {
      if (field(req.body, "approve") !== undefined) return grantConsent(req, res, details);
      if (field(req.body, "deny") !== undefined) {
        return engine().interactionFinished(req, res, { error: "access_denied", error_description: "The user denied access" }, { mergeWithLastSubmission: false });
      }
      return showConsent(res, details, 400);
    }
    if (details.prompt.name !== "login") return sendPage(res, 400, errorPage("Not supported", "This sign-in step is not supported."));

    const challenge = field(req.body, "challenge");
    const code = field(req.body, "code");
    if (challenge !== undefined && code !== undefined) {
      let signedIn: SignedIn;
      try {
        const wait = await signIn.rateLimit("verifyTwoFactorLogin", { challengeToken: challenge, code }, origin);
        if (wait !== undefined) throw new AppError(ErrorCode.RATE_LIMITED, "Too many requests", { retryAfterSeconds: wait });
        signedIn = await signIn.verifyTwoFactor(challenge, code.trim(), origin);
      } catch (error) {
        const text = failureText(error);
        if (!text || !(error instanceof AppError)) throw error;
        // A challenge used up, voided or expired: back to the password.
        if (error.message === Errors.invalidTwoFactorChallenge().message) {
          return sendPage(res, 401, signInPage(form, { clientName: await clientName(details), error: text }));
        }
        return sendPage(res, failureStatus(error), twoFactorPage(form, { challengeToken: challenge, error: text }));
      }
      return completeSignIn(req, res, origin, signedIn, ["pwd", "otp"]);
    }

    const identifier = field(req.body, "identifier") ?? "";
    const password = field(req.body, "password") ?? "";
    let result: SignedIn | { challengeToken: string };
    try {
      const wait = await signIn.rateLimit("login", { input: { identifier } }, origin);
      if (wait !== undefined) throw new AppError(ErrorCode.RATE_LIMITED, "Too many requests", { retryAfterSeconds: wait });
      result = await signIn.login({ identifier, password, cookie: true }, origin);
    } catch (error) {
      const text = failureText(error);
      if (!text || !(error instanceof AppError)) throw error;
      return sendPage(res, failureStatus(error), signInPage(form, { clientName: await clientName(details), identifier, error: text }));
    }
    if ("challengeToken" in result) return sendPage(res, 200, twoFactorPage(form, { challengeToken: result.challengeToken }));
    return completeSignIn(req, res, origin, result, ["pwd"]);
  }));

  return router;
}

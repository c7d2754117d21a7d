import { createHmac } from "node:crypto";
import type Provider from "oidc-provider";
import type { EngineContext } from "oidc-provider";
import type { OidcEngineModule } from "./load-engine";
import type { Clock } from "../common/clock";
import type { Logger } from "../logger";
import * as builtInPages from "./built-in-pages";
import { oidcAdapterClass, readAheadAccount, readAheadLink, settlePendingUse, SESSION_LINK_MODEL } from "./oidc-adapter";
import type { OidcPayloadStore } from "./oidc-payload.store";
import { accountFinder, PROVIDER_CLAIMS, type ProviderAccountRow, type ProviderAccountSource } from "./provider-accounts";
import type { ProviderClientSource } from "./provider-client-cache";
import { DEFAULT_SCOPES } from "./provider-clients";
import { clientSecretMatches } from "./oauth-client.service";
import type { EndSessionContext } from "./logout-pages";

/** Where the engine's endpoints live under PUBLIC_URL (discovery stays at the root). */
export const PROVIDER_PREFIX = "/oidc";
export const DISCOVERY_PATH = "/.well-known/openid-configuration";

/** OidcPayload rows linking a provider session (its uid) to the Latchkey session that signed it in. */

export interface ProviderSettings {
  publicUrl: string;
  appSecret: string;
  /** SESSION_MAX_LIFETIME: no provider session or refresh token outlives a Latchkey session. */
  sessionMaxLifetimeMs: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export interface ProviderDependencies {
  /** oidc-provider itself, loaded when the provider starts (load-engine.ts). */
  engine: OidcEngineModule;
  settings: ProviderSettings;
  payloads: OidcPayloadStore;
  clients: ProviderClientSource;
  accounts: ProviderAccountSource;
  isDisabledAt: (user: ProviderAccountRow, now: Date) => boolean;
  /** The private JWKs that sign (each algorithm's current key first), from the key store. */
  jwks: () => { keys: unknown[] };
  clock: Clock;
  logger: Logger;
  /** Called at the engine's end_session.success event (logout-pages.ts ends the Latchkey browser session). */
  onEndSession?: (ctx: EndSessionContext) => void;
}

type PageSource = (ctx: EngineContext, ...args: never[]) => Promise<void>;

/**
 * The styled pages another module may provide: `./device-pages` (userCodeInputSource,
 * userCodeConfirmSource, successSource) and `./logout-pages` (logoutSource,
 * postLogoutSuccessSource), with the engine's signatures; any left out is served by the plain
 * built-in one. Loaded by name so this module builds whether or not they exist yet.
 */
function optionalPages(name: string): Record<string, PageSource | undefined> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional module
    return require(`./${name}`) as Record<string, PageSource | undefined>;
  } catch (error) {
    // Only this module missing; a page module that fails to load for another reason is an error.
    const { code, message } = error as { code?: string; message?: string };
    if (code === "MODULE_NOT_FOUND" && message?.includes(`./${name}`)) return {};
    throw error;
  }
}

/** The engine's cookie keys, derived from APP_SECRET (never the secret itself). */
function cookieKeys(appSecret: string): string[] {
  return [createHmac("sha256", appSecret).update("latchkey oidc-provider cookies v1").digest("base64url")];
}

/**
 * oidc-provider (OpenID Certified) configured as Latchkey's OpenID Provider: issuer PUBLIC_URL,
 * endpoints under /oidc, state in OidcPayload, clients from OAuthClient, keys from the key store.
 */
export function createProvider(deps: ProviderDependencies): Provider {
  const { settings, clock, logger } = deps;
  const secure = new URL(settings.publicUrl).protocol === "https:";
  const lifetime = Math.floor(settings.sessionMaxLifetimeMs / 1000);
  const bounded = (seconds: number) => Math.max(60, Math.min(seconds, lifetime));
  const devicePages = optionalPages("device-pages");
  const logoutPages = optionalPages("logout-pages");
  const route = (path: string) => `${PROVIDER_PREFIX}${path}`;
  const links = {
    find: async (uid: string) => {
      // Usually read with the token already (oidc-adapter.ts); null there means "no link".
      const ahead = readAheadLink(uid);
      const row = ahead === undefined ? await deps.payloads.find(SESSION_LINK_MODEL, uid, clock.now()) : ahead;
      return typeof row?.sessionId === "string" ? row.sessionId : undefined;
    },
  };

  // Usually read with the token already (oidc-adapter.ts).
  const accounts: ProviderAccountSource = {
    ...deps.accounts,
    read: async (userId) => {
      const ahead = readAheadAccount(userId);
      return ahead === undefined ? deps.accounts.read(userId) : ahead;
    },
  };

  const { default: Engine, errors } = deps.engine;
  const alreadyUsed = () => new errors.InvalidGrant("grant source already used");
  const provider = new Engine(settings.publicUrl, {
    adapter: oidcAdapterClass(deps.payloads, deps.clients, deps.accounts.readAlong, clock, alreadyUsed),
    findAccount: accountFinder(accounts, links, deps.isDisabledAt, () => clock.now()),
    jwks: deps.jwks(),
    claims: PROVIDER_CLAIMS,
    scopes: DEFAULT_SCOPES,
    clientAuthMethods: ["client_secret_basic", "none"],
    clientDefaults: {
      grant_types: ["authorization_code"],
      id_token_signed_response_alg: "RS256",
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
    extraClientMetadata: { properties: ["first_party"] },
    responseTypes: ["code", "none"],
    enabledJWA: {
      idTokenSigningAlgValues: ["RS256", "EdDSA"],
      userinfoSigningAlgValues: ["RS256", "EdDSA"],
      introspectionSigningAlgValues: ["RS256", "EdDSA"],
      authorizationSigningAlgValues: ["RS256", "EdDSA"],
      requestObjectSigningAlgValues: ["RS256", "EdDSA"],
      clientAuthSigningAlgValues: [],
    },
    pkce: {
      // Public clients must prove possession with S256 (the engine accepts no other method).
      required: (_ctx: unknown, client: { clientAuthMethod: string }) => client.clientAuthMethod === "none",
    },
    routes: {
      authorization: route("/auth"),
      code_verification: route("/device"),
      device_authorization: route("/device/auth"),
      end_session: route("/session/end"),
      introspection: route("/token/introspection"),
      jwks: route("/jwks"),
      revocation: route("/token/revocation"),
      token: route("/token"),
      userinfo: route("/me"),
      pushed_authorization_request: route("/request"),
      backchannel_authentication: route("/backchannel"),
      registration: route("/reg"),
      challenge: route("/challenge"),
      credential: route("/credential"),
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => route(`/interaction/${interaction.uid}`) },
    cookies: {
      keys: cookieKeys(settings.appSecret),
      long: { secure, httpOnly: true, sameSite: "lax" },
      short: { secure, httpOnly: true, sameSite: "lax" },
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A public client introspects only its own tokens; a confidential one (a resource server) any.
      introspection: {
        enabled: true,
        allowedPolicy: async (ctx: EngineContext, client: { clientAuthMethod: string }, token: { clientId?: string }) =>
          client.clientAuthMethod !== "none" || token.clientId === ctx.oidc.client?.clientId,
      },
      // A client revokes only its own tokens.
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string; clientAuthMethod: string }, token: { clientId?: string }) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === "none") return false;
          throw new errors.InvalidRequest("client is not authorized to revoke the presented token");
        },
      },
      userinfo: { enabled: true },
      pushedAuthorizationRequests: { enabled: false },
      deviceFlow: {
        enabled: true,
        charset: "base-20",
        mask: "****-****",
        userCodeInputSource: devicePages.userCodeInputSource ?? builtInPages.userCodeInputSource,
        userCodeConfirmSource: devicePages.userCodeConfirmSource ?? builtInPages.userCodeConfirmSource,
        successSource: devicePages.successSource ?? builtInPages.successSource,
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: logoutPages.logoutSource ?? builtInPages.logoutSource,
        postLogoutSuccessSource: logoutPages.postLogoutSuccessSource ?? builtInPages.postLogoutSuccessSource,
      },
    },
    // Every refresh rotates its token; presenting a rotated one again revokes the whole grant
    // (the engine's reuse detection).
    rotateRefreshToken: true,
    // First-party clients skip consent: their grant covers what they ask for within their scopes.
    loadExistingGrant: async (ctx: EngineContext) => {
      const { client, session, result, provider: engine } = ctx.oidc;
      if (!client || !session) return undefined;
      const grantId = result?.consent?.grantId || session.grantIdFor(client.clientId);
      const existing = grantId ? await engine.Grant.find(grantId) : undefined;
      if (!client.first_party || !session.accountId) return existing;
      const grant = existing ?? new engine.Grant({ clientId: client.clientId, accountId: session.accountId });
      const scopes = [...(ctx.oidc.requestParamScopes ?? [])].filter((scope: string) => DEFAULT_SCOPES.includes(scope));
      if (scopes.length) grant.addOIDCScope(scopes.join(" "));
      const claims = ctx.oidc.requestParamClaims ? [...ctx.oidc.requestParamClaims] : [];
      if (claims.length) grant.addOIDCClaims(claims);
      await grant.save();
      return grant;
    },
    ttl: {
      AccessToken: settings.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      ClientCredentials: settings.accessTokenTtlSeconds,
      DeviceCode: 600,
      IdToken: 600,
      Interaction: 600,
      RefreshToken: bounded(settings.refreshTokenTtlSeconds),
      Grant: bounded(settings.refreshTokenTtlSeconds),
      Session: bounded(settings.refreshTokenTtlSeconds),
    },
    renderError: builtInPages.renderError,
    // Browser calls (a single-page or mobile app): public clients from their redirect URIs'
    // origins, and userinfo for any client from those origins.
    clientBasedCORS: (ctx: EngineContext, origin: string, client: { clientAuthMethod: string; redirectUris: string[] }) => {
      if (origin === "null") return false;
      if (ctx.oidc.route !== "userinfo" && client.clientAuthMethod !== "none") return false;
      return client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin);
    },
  });
  // The engine holds the stored hash as the client's secret (provider-clients.ts).
  provider.Client.prototype.compareClientSecret = function compareClientSecret(actual: string) {
    return clientSecretMatches(actual, this.clientSecret);
  };
  // Behind a TLS-terminating proxy the request itself is plain HTTP: the issuer decides.
  if (secure) {
    provider.use(async (ctx, next) => {
      ctx.cookies.secure = true;
      await next();
    });
  }
  // A code or refresh token used in this request is written with what was issued in its place;
  // anything still pending when the engine has answered is written before the answer leaves.
  provider.use(async (ctx, next) => {
    await next();
    try {
      await settlePendingUse(deps.payloads, clock.now(), alreadyUsed);
    } catch (error) {
      if (!(error instanceof errors.InvalidGrant)) throw error;
      ctx.status = 400;
      ctx.body = { error: "invalid_grant", error_description: "grant request is invalid" };
    }
  });
  // A sign-in finished by the interaction pages (interaction.routes.ts) names the Latchkey session
  // that satisfied it (`latchkeySession`, the lk_access cookie's) or none (the form): recorded
  // for the provider session before the response leaves, so the code's exchange finds it.
  provider.use(async (ctx, next) => {
    await next();
    const login = ctx.oidc?.route === "resume" ? ctx.oidc.result?.login : undefined;
    const uid = ctx.oidc?.session?.uid;
    if (!login || !uid) return;
    if (typeof login.latchkeySession === "string") {
      const expiresAt = new Date(clock.now().getTime() + settings.sessionMaxLifetimeMs);
      await deps.payloads.upsert(SESSION_LINK_MODEL, uid, { accountId: login.accountId, sessionId: login.latchkeySession }, expiresAt);
    } else {
      await deps.payloads.destroy(SESSION_LINK_MODEL, uid);
    }
  });
  if (deps.onEndSession) provider.on("end_session.success", deps.onEndSession);
  provider.on("server_error", (_ctx: unknown, error: Error) => logger.error({ err: error }, "OpenID Provider error"));
  return provider;
}

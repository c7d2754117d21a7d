import http from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from "jose";
import Provider from "oidc-provider";

/** The claims an account at the test provider releases (through the ID token or userinfo). */
export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  picture?: string;
  preferred_username?: string;
}

export interface AuthorizationResponse {
  code: string;
  state: string;
  url: URL;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** OIDC_PROVIDERS entry that points Latchkey at this provider. */
  latchkeyConfig(overrides?: Record<string, unknown>): Record<string, unknown>;
  addAccount(account: TestAccount): TestAccount;
  /**
   * Plays the browser: follows the authorization URL, signs in as `sub` on the provider's
   * login step, grants consent and returns what the provider sends to the redirect URI.
   */
  authorize(authorizationUrl: string, sub: string): Promise<AuthorizationResponse>;
  /** Rewrites the ID token of the next token response (forgery and replay tests). */
  tamperNextIdToken(rewrite: (idToken: string) => Promise<string>): void;
  /** Signs ID token claims with the provider's own key, or with a stranger's key under the same kid. */
  signIdToken(claims: Record<string, unknown>, options?: { foreignKey?: boolean }): Promise<string>;
  /** The ID tokens the token endpoint handed out, oldest first. */
  issuedIdTokens: string[];
  close(): Promise<void>;
}

/** In-memory storage for the provider's models (codes, sessions, grants, interactions). */
function memoryAdapter() {
  const store = new Map<string, { payload: any; expiresAt: number }>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return class MemoryAdapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: any, expiresIn?: number) {
      store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUid(uid: string) {
      for (const key of store.keys()) {
        if (key.startsWith(`${this.model}:`) && live(key)?.uid === uid) return live(key);
      }
      return undefined;
    }
    async findByUserCode(userCode: string) {
      for (const key of store.keys()) {
        if (key.startsWith(`${this.model}:`) && live(key)?.userCode === userCode) return live(key);
      }
      return undefined;
    }
    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, entry] of store) if (entry.payload?.grantId === grantId) store.delete(key);
    }
  };
}

/** A tiny cookie jar: enough for the provider's interaction and session cookies. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && new Date(a.split("=")[1]).getTime() < Date.now());
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => resolve(new URLSearchParams(body)));
    req.on("error", reject);
  });
}

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1 at a random port, with one confidential
 * client for Latchkey (PKCE required) and scripted login and consent steps in place of pages.
 */
export async function startTestOidcProvider(options: { redirectUri?: string; port?: number } = {}): Promise<TestOidcProvider> {
  const clientId = "latchkey-test";
  const clientSecret = "latchkey-test-client-secret-0123456789";
  const redirectUri = options.redirectUri ?? "http://localhost:5173/oauth/callback";
  const accounts = new Map<string, TestAccount>();
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid: "test-signing-key", alg: "RS256", use: "sig" };
  let tamper: ((idToken: string) => Promise<string>) | undefined;
  const issuedIdTokens: string[] = [];

  // eslint-disable-next-line prefer-const -- the request handler below refers to it before it is made
  let provider!: Provider;
  const server = http.createServer((req, res) => {
    const match = /^\/interaction\/([^/?]+)(?:\/(login|confirm))?/.exec(req.url ?? "");
    if (!match) return provider.callback()(req, res);
    interaction(req, res, match[2]).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  provider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [signingJwk] },
    cookies: { keys: ["test-provider-cookie-key"] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "picture", "preferred_username"],
    },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: async () => ({ ...account }) } : undefined;
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, found: { uid: string }) => `/interaction/${found.uid}` },
    pkce: { required: () => true },
    ttl: { AccessToken: 3600, AuthorizationCode: 60, Grant: 3600, IdToken: 3600, Interaction: 600, Session: 3600 },
    renderError: async (ctx: any, out: unknown) => {
      ctx.type = "json";
      ctx.body = out;
    },
  });
  // Test hook on the token endpoint: record ID tokens and optionally swap one.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== "/token" || !ctx.body || typeof ctx.body !== "object" || !ctx.body.id_token) return;
    issuedIdTokens.push(ctx.body.id_token);
    if (tamper) {
      const rewrite = tamper;
      tamper = undefined;
      ctx.body = { ...ctx.body, id_token: await rewrite(ctx.body.id_token) };
    }
  });

  // The provider's "pages", scripted: GET shows the prompt, POST login signs in, POST confirm consents.
  async function interaction(req: http.IncomingMessage, res: http.ServerResponse, action: string | undefined) {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "GET") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ uid: details.uid, prompt: details.prompt.name }));
      return;
    }
    if (action === "login") {
      const sub = (await readForm(req)).get("sub") ?? "";
      if (!accounts.has(sub)) {
        res.statusCode = 400;
        res.end("unknown account");
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }

  async function authorize(authorizationUrl: string, sub: string): Promise<AuthorizationResponse> {
    const jar = new CookieJar();
    const send = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as any), cookie: jar.header() } });
      jar.store(response);
      return response;
    };
    let next = authorizationUrl;
    for (let step = 0; step < 12; step++) {
      const response = await send(next);
      const location = response.headers.get("location");
      if (!location) throw new Error(`provider answered ${response.status} at ${next}: ${await response.text()}`);
      const target = new URL(location, next);
      if (target.href.startsWith(redirectUri)) {
        const code = target.searchParams.get("code");
        if (!code) throw new Error(`provider refused: ${target.search}`);
        return { code, state: target.searchParams.get("state") ?? "", url: target };
      }
      if (target.pathname.startsWith("/interaction/")) {
        const shown = (await (await send(target.href)).json()) as { prompt: string };
        const step = shown.prompt === "login" ? "login" : "confirm";
        const body = step === "login" ? new URLSearchParams({ sub }).toString() : "";
        const posted = await send(`${target.href}/${step}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body,
        });
        const resume = posted.headers.get("location");
        if (!resume) throw new Error(`interaction ${step} failed: ${posted.status} ${await posted.text()}`);
        next = new URL(resume, target).href;
        continue;
      }
      next = target.href;
    }
    throw new Error("too many redirects at the provider");
  }

  async function signIdToken(claims: Record<string, unknown>, signOptions: { foreignKey?: boolean } = {}): Promise<string> {
    const key = signOptions.foreignKey ? (await generateKeyPair("RS256")).privateKey : privateKey;
    return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: signingJwk.kid, typ: "JWT" }).sign(key);
  }

  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    issuedIdTokens,
    latchkeyConfig: (overrides = {}) => ({
      id: "testop",
      name: "Test Provider",
      issuer,
      clientId,
      clientSecret,
      scopes: ["openid", "email", "profile"],
      redirectUris: [redirectUri],
      ...overrides,
    }),
    addAccount(account) {
      accounts.set(account.sub, account);
      return account;
    },
    authorize,
    tamperNextIdToken(rewrite) {
      tamper = rewrite;
    },
    signIdToken,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The claims and header of a compact JWT, unverified (to build altered copies). */
export function decodeIdToken(idToken: string) {
  return { header: decodeProtectedHeader(idToken), claims: decodeJwt(idToken) };
}

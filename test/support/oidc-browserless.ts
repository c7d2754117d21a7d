import { randomBytes } from "node:crypto";
import { sha256 } from "../../src/common/tokens";
import * as oidc from "openid-client";
import { ADMIN_ENV } from "./admin";
import { freePort } from "./ports";
import { startTestServer, type TestServer } from "./test-server";
import type { TestDatabaseKind } from "./databases";

/**
 * A browser without a browser: fetch with a cookie jar that keeps each cookie's path and
 * expiry, follows redirects by hand, reads the HTML forms of a page and submits them as a
 * browser would (hidden inputs plus the pressed button).
 */
export class Browserless {
  private readonly cookies = new Map<string, { value: string; path: string; expires?: number; strict?: boolean }>();
  /** Every response this browser saw, in order (the status and URL), for failures' messages. */
  readonly history: Array<{ status: number; url: string }> = [];

  constructor(private readonly now: () => number = Date.now) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  setCookie(name: string, value: string, options: { path?: string; sameSiteStrict?: boolean } = {}): void {
    this.cookies.set(name, { value, path: options.path ?? "/", strict: options.sameSiteStrict });
  }

  private store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      let path = "/";
      let expires: number | undefined;
      let strict = false;
      for (const attribute of attributes) {
        const [key, ...rest] = attribute.trim().split("=");
        const attributeValue = rest.join("=");
        if (/^path$/i.test(key)) path = attributeValue || "/";
        else if (/^expires$/i.test(key)) expires = new Date(attributeValue).getTime();
        else if (/^max-age$/i.test(key)) expires = this.now() + Number(attributeValue) * 1000;
        else if (/^samesite$/i.test(key)) strict = /^strict$/i.test(attributeValue);
      }
      if (value === "" || (expires !== undefined && expires <= this.now())) this.cookies.delete(name);
      else this.cookies.set(name, { value, path, expires, strict });
    }
  }

  /** The Cookie header for a request; a cross-site navigation (Sec-Fetch-Site) gets no SameSite=Strict cookie. */
  private header(url: URL, crossSite: boolean): string {
    return [...this.cookies]
      .filter(([, cookie]) => !(crossSite && cookie.strict))
      .filter(([, cookie]) => url.pathname === cookie.path || url.pathname.startsWith(cookie.path.endsWith("/") ? cookie.path : `${cookie.path}/`) || cookie.path === "/")
      .filter(([, cookie]) => cookie.expires === undefined || cookie.expires > this.now())
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join("; ");
  }

  /** One request, no redirect followed. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: "text/html", ...init.headers };
    const cookie = this.header(target, init.headers?.["sec-fetch-site"] === "cross-site");
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(target, { method: init.method ?? (init.form ? "POST" : "GET"), headers, body, redirect: "manual" });
    this.store(response);
    this.history.push({ status: response.status, url: target.toString() });
    return response;
  }

  /**
   * Follows redirects from `url` until a page answers (status 200..299 or 4xx/5xx) or a redirect
   * leaves for `stopAt` (the relying party's redirect URI, which nothing serves): then that URL.
   */
  async navigate(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}, stopAt?: string): Promise<Page> {
    let response = await this.request(url, init);
    let current = url;
    for (let hops = 0; hops < 20; hops++) {
      if (response.status < 300 || response.status >= 400) {
        return new Page(current, response.status, await response.text(), response.headers);
      }
      const location = new URL(response.headers.get("location")!, current).toString();
      if (stopAt && location.startsWith(stopAt)) return new Page(location, response.status, "", response.headers, location);
      current = location;
      // A redirect chain keeps the request's fetch metadata (Sec-Fetch-Site) as a browser does.
      response = await this.request(current, { headers: init.headers });
    }
    throw new Error(`too many redirects: ${JSON.stringify(this.history.slice(-20))}`);
  }

  /** Submits a form of the page: its inputs, the fields given, and the named button pressed. */
  submit(page: Page, fields: Record<string, string>, options: { formIndex?: number; button?: string; stopAt?: string } = {}): Promise<Page> {
    const form = page.forms()[options.formIndex ?? 0];
    if (!form) throw new Error(`no form on ${page.url}: ${page.html.slice(0, 2000)}`);
    const values: Record<string, string> = { ...form.inputs, ...fields };
    if (options.button) values[options.button] = form.buttons[options.button] ?? "yes";
    return this.navigate(new URL(form.action || page.url, page.url).toString(), { method: form.method, form: values }, options.stopAt);
  }
}

export interface HtmlForm {
  id?: string;
  action: string;
  method: string;
  inputs: Record<string, string>;
  buttons: Record<string, string>;
}

const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  const raw = match ? (match[1] ?? match[2] ?? match[3]) : undefined;
  return raw === undefined ? undefined : decodeEntities(raw);
};

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** An HTML answer: its text, forms (inputs and buttons, including buttons outside a form that name it with form=), and where it ended. */
export class Page {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly html: string,
    readonly headers: Headers,
    /** Set when navigation stopped at the relying party's redirect URI. */
    readonly redirectedTo?: string,
  ) {}

  /** The visible text, tags removed. */
  text(): string {
    return decodeEntities(this.html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ")).trim();
  }

  forms(): HtmlForm[] {
    const forms: HtmlForm[] = [];
    for (const match of this.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
      const tag = match[1];
      const inner = match[2];
      const form: HtmlForm = {
        id: attribute(` ${tag}`, "id"),
        action: attribute(` ${tag}`, "action") ?? "",
        method: (attribute(` ${tag}`, "method") ?? "GET").toUpperCase(),
        inputs: {},
        buttons: {},
      };
      for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
        const name = attribute(input[0], "name");
        if (!name) continue;
        form.inputs[name] = attribute(input[0], "value") ?? "";
      }
      this.collectButtons(inner, form, false);
      forms.push(form);
    }
    // Buttons elsewhere on the page that belong to a form by its id (the engine's device and logout forms).
    for (const form of forms) if (form.id) this.collectButtons(this.html, form, true);
    return forms;
  }

  private collectButtons(html: string, form: HtmlForm, byId: boolean): void {
    for (const button of html.matchAll(/<button\b[^>]*>/gi)) {
      const owner = attribute(button[0], "form");
      if (byId ? owner !== form.id : owner !== undefined) continue;
      const name = attribute(button[0], "name");
      if (name) form.buttons[name] = attribute(button[0], "value") ?? "";
    }
  }

  /** The URL of a `<meta http-equiv="refresh">` on the page, if any. */
  refreshUrl(): string | undefined {
    const tag = /<meta\b[^>]*http-equiv="refresh"[^>]*>/i.exec(this.html)?.[0];
    const content = tag ? attribute(tag, "content") : undefined;
    const target = content ? /url=(.*)$/i.exec(content)?.[1] : undefined;
    return target ? new URL(target, this.url).toString() : undefined;
  }

  /** The names of the inputs of every form on the page. */
  inputNames(): string[] {
    return this.forms().flatMap((form) => Object.keys(form.inputs));
  }
}

export const RP_REDIRECT = "http://rp.example.test/callback";
export const RP_LOGOUT_REDIRECT = "http://rp.example.test/signed-out";

/** A Latchkey server whose PUBLIC_URL is its own address (the issuer must be reachable), with the bootstrap ADMIN. */
export async function startOidcServer(kind: TestDatabaseKind, env: Record<string, string> = {}, host = "127.0.0.1"): Promise<TestServer> {
  const port = await freePort();
  return startTestServer(kind, { env: { ...ADMIN_ENV, PORT: String(port), PUBLIC_URL: `http://${host}:${port}`, ...env } });
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string | null;
}

/**
 * Registers a client straight in the provider's client store (its secret stored as sha256, as
 * createOAuthClient does): a confidential, third-party code-flow client unless told otherwise.
 */
export async function registerClient(
  server: TestServer,
  input: Partial<{ name: string; redirectUris: string[]; postLogoutRedirectUris: string[]; grantTypes: string[]; scopes: string[]; public: boolean; firstParty: boolean }> = {},
): Promise<RegisteredClient> {
  const clientId = `client_${randomBytes(6).toString("hex")}`;
  const isPublic = input.public ?? false;
  const clientSecret = isPublic ? null : randomBytes(32).toString("base64url");
  if (clientSecret) server.secrets.add("client secret", clientSecret);
  await server.app.services.oidcProvider.clients.register({
    clientId,
    name: input.name ?? "Support desk",
    secretHash: clientSecret ? sha256(clientSecret) : null,
    redirectUris: input.redirectUris ?? [RP_REDIRECT],
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? [RP_LOGOUT_REDIRECT],
    grantTypes: input.grantTypes ?? ["authorization_code", "refresh_token"],
    scopes: input.scopes ?? [],
    public: isPublic,
    firstParty: input.firstParty ?? false,
  });
  return { clientId, clientSecret };
}

/** openid-client's configuration for a registered client, by discovery (plain HTTP allowed: the test server). */
export async function relyingParty(server: TestServer, client: RegisteredClient): Promise<oidc.Configuration> {
  const auth = client.clientSecret ? oidc.ClientSecretBasic(client.clientSecret) : oidc.None();
  return oidc.discovery(new URL(server.app.config.publicUrl), client.clientId, client.clientSecret ? {} : { token_endpoint_auth_method: "none" }, auth, {
    execute: [oidc.allowInsecureRequests],
  });
}

export interface AuthorizationStart {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** An authorization request with PKCE (S256), state and nonce. */
export async function authorizationRequest(config: oidc.Configuration, params: Record<string, string> = {}): Promise<AuthorizationStart> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: RP_REDIRECT,
    scope: "openid profile email offline_access",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...params,
  });
  return { url, state, nonce, codeVerifier };
}

/** Exchanges the code the redirect URI received (openid-client checks state, nonce, PKCE and the ID token). */
export function exchangeCode(config: oidc.Configuration, start: AuthorizationStart, callback: string) {
  return oidc.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: start.codeVerifier,
    expectedState: start.state,
    expectedNonce: start.nonce,
    idTokenExpected: true,
  });
}

export { oidc };

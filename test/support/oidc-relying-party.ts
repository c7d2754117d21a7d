import http from "node:http";
import type { AddressInfo } from "node:net";
import * as client from "openid-client";
import { randomToken, sha256 } from "../../src/common/tokens";
import type { NewProviderClient } from "../../src/provider";
import { freePort } from "./ports";
import { startTestServer, type TestServer, type TestServerOptions } from "./test-server";
import type { TestDatabaseKind } from "./databases";

export const REDIRECT_URI = "http://127.0.0.1:5599/callback";

/**
 * A server whose PUBLIC_URL is the address it listens on: relying parties check that the
 * discovered issuer is the one they asked (openid-client does).
 */
export async function startProviderServer(kind: TestDatabaseKind, options: TestServerOptions = {}): Promise<TestServer> {
  const port = await freePort();
  return startTestServer(kind, { ...options, env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...options.env } });
}

export interface RegisteredClient {
  clientId: string;
  clientSecret?: string;
}

/** Registers a client straight through the provider's store (the GraphQL API is the usual way). */
export async function registerClient(server: TestServer, overrides: Partial<NewProviderClient> = {}): Promise<RegisteredClient> {
  const clientId = `client-${randomToken().slice(0, 12)}`;
  const isPublic = overrides.public ?? false;
  const clientSecret = isPublic ? undefined : randomToken();
  await server.app.services.oidcProvider.clients.insert({
    clientId,
    name: "Second app",
    secretHash: clientSecret ? sha256(clientSecret) : null,
    redirectUris: [REDIRECT_URI],
    grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
    scopes: ["openid", "profile", "email", "offline_access"],
    public: isPublic,
    firstParty: true,
    ...overrides,
  });
  return { clientId, clientSecret };
}

/** openid-client's configuration for a registered client, by discovery (plain HTTP allowed in tests). */
export async function relyingParty(server: TestServer, registered: RegisteredClient, metadata: Partial<client.ClientMetadata> = {}): Promise<client.Configuration> {
  const auth = registered.clientSecret ? client.ClientSecretBasic(registered.clientSecret) : client.None();
  return client.discovery(new URL(server.url), registered.clientId, { ...metadata }, auth, { execute: [client.allowInsecureRequests] });
}

/** A tiny cookie jar for the browser's side of the flow. */
export class CookieJar {
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

/**
 * Plays the browser through the authorization endpoint, finishing the sign-in interaction with
 * the engine's own API (interactionFinished) for `accountId` instead of the HTML pages:
 * the engine-level path, independent of the sign-in pages. First-party clients skip consent;
 * for others the interaction is finished with a grant of what was asked.
 */
export async function authorizeThroughEngine(server: TestServer, authorizationUrl: URL, accountId: string): Promise<URL> {
  const provider = server.app.services.oidc!;
  const finisher = http.createServer((req, res) => {
    (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId, clientId: details.params.client_id });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    })().catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => finisher.listen(0, "127.0.0.1", resolve));
  const finisherUrl = `http://127.0.0.1:${(finisher.address() as AddressInfo).port}`;
  const jar = new CookieJar();
  const send = async (url: string) => {
    const response = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.store(response);
    return response;
  };
  try {
    let next = authorizationUrl.href;
    for (let step = 0; step < 12; step++) {
      const response = await send(next);
      const location = response.headers.get("location");
      if (!location) throw new Error(`provider answered ${response.status} at ${next}: ${await response.text()}`);
      const target = new URL(location, next);
      if (target.href.startsWith(REDIRECT_URI)) return target;
      next = target.pathname.startsWith("/oidc/interaction/") ? `${finisherUrl}${target.pathname}` : target.href;
    }
    throw new Error("too many redirects at the provider");
  } finally {
    finisher.closeAllConnections();
    await new Promise<void>((resolve) => finisher.close(() => resolve()));
  }
}

/** The code flow with PKCE through openid-client: the tokens for `accountId`. */
export async function codeFlowTokens(server: TestServer, config: client.Configuration, accountId: string, scope = "openid profile email offline_access") {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    ...(scope.includes("offline_access") ? { prompt: "consent" } : {}),
  });
  const callback = await authorizeThroughEngine(server, url, accountId);
  return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
}

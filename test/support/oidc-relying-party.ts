import * as client from "openid-client";
import { randomToken, sha256 } from "../../src/common/tokens";
import type { NewProviderClient } from "../../src/provider";
import { freePort } from "./ports";
import { startTestServer, type TestServer, type TestServerOptions } from "./test-server";
import type { TestDatabaseKind } from "./databases";
import { authorizeWithEngine } from "./oidc-engine-flow";

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
  // stop() fails if the server ever logged it.
  if (clientSecret) server.secrets.add("OAuth client secret", clientSecret);
  await server.app.services.oidcProvider.clients.register({
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
  const callback = await authorizeWithEngine(server.app.services.oidc!, url, accountId, REDIRECT_URI);
  return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
}

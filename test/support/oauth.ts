import { START_TIMEOUT_MS, startTestServer, type TestServer } from "./test-server";
import { startTestOidcProvider, type TestOidcProvider } from "./oidc-test-provider";
import type { TestDatabaseKind } from "./databases";

export const OAUTH_PROVIDERS = /* GraphQL */ `query { oauthProviders { id name } }`;

export const START_OAUTH = /* GraphQL */ `
  mutation Start($provider: String!, $redirectUri: String!) {
    startOAuthLogin(provider: $provider, redirectUri: $redirectUri) { authorizationUrl state binding }
  }
`;

export const COMPLETE_OAUTH = /* GraphQL */ `
  mutation Complete($input: OAuthCompleteInput!) {
    completeOAuthLogin(input: $input) {
      __typename
      ... on AuthPayload {
        accessToken refreshToken
        session { id current }
        user { id username email emailVerified avatarUrl linkedProviders profile { name } }
      }
    }
  }
`;

export const LINK_OAUTH = /* GraphQL */ `
  mutation Link($input: OAuthCompleteInput!) { linkOAuthAccount(input: $input) { id linkedProviders } }
`;

export const UNLINK_OAUTH = /* GraphQL */ `
  mutation Unlink($provider: String!) { unlinkOAuthAccount(provider: $provider) { id linkedProviders } }
`;

export interface CallbackParams {
  provider: string;
  code: string;
  state: string;
  /** The browser binding the app kept from startOAuthLogin (this client keeps no cookies). */
  binding: string;
}

/**
 * startOAuthLogin, then the browser's trip through the provider as `sub`; returns what the
 * app would pass to completeOAuthLogin / linkOAuthAccount.
 */
export async function authorizeAt(
  server: TestServer,
  op: TestOidcProvider,
  sub: string,
  options: { token?: string; provider?: string } = {},
): Promise<CallbackParams & { authorizationUrl: string }> {
  const provider = options.provider ?? "testop";
  const started = await server.gql(START_OAUTH, { provider, redirectUri: op.redirectUri }, { token: options.token });
  if (started.body.errors) throw new Error(`startOAuthLogin failed: ${JSON.stringify(started.body.errors)}`);
  const { authorizationUrl, state, binding } = started.body.data.startOAuthLogin;
  const answer = await op.authorize(authorizationUrl, sub);
  if (answer.state !== state) throw new Error("the provider returned another state");
  return { provider, code: answer.code, state, binding, authorizationUrl };
}

/** The whole sign-in: start, provider login and consent, complete. Returns the raw response. */
export async function signInWith(server: TestServer, op: TestOidcProvider, sub: string) {
  const callback = await authorizeAt(server, op, sub);
  const { authorizationUrl, ...input } = callback;
  void authorizationUrl;
  return server.gql(COMPLETE_OAUTH, { input });
}

/** signInWith, expecting tokens. */
export async function signInOk(server: TestServer, op: TestOidcProvider, sub: string) {
  const { body } = await signInWith(server, op, sub);
  if (body.errors) throw new Error(`completeOAuthLogin failed: ${JSON.stringify(body.errors)}`);
  return body.data.completeOAuthLogin as {
    __typename: "AuthPayload";
    accessToken: string;
    refreshToken: string;
    session: { id: string; current: boolean };
    user: {
      id: string;
      username: string;
      email: string | null;
      emailVerified: boolean;
      avatarUrl: string | null;
      linkedProviders: string[];
      profile: { name: string | null };
    };
  };
}

/** Server env that configures Latchkey with the test provider. */
export function oauthEnv(op: TestOidcProvider, overrides: Record<string, unknown> = {}, extra: Record<string, unknown>[] = []) {
  return { OIDC_PROVIDERS: JSON.stringify([op.latchkeyConfig(overrides), ...extra]) };
}

/**
 * One describe block's OpenID test provider and a Latchkey server configured with it (as
 * "testop", plus `extraProviders` made from the same provider), started before its tests and
 * stopped after them. `bind` receives both once they are up (and may finish the block's setup):
 * `useServerWithOidcProvider(kind, (started) => ({ op, server } = started))`.
 */
export function useServerWithOidcProvider(
  kind: TestDatabaseKind,
  bind: (started: { op: TestOidcProvider; server: TestServer }) => unknown,
  options: { extraProviders?: (op: TestOidcProvider) => Record<string, unknown>[]; env?: Record<string, string> } = {},
): void {
  let op: TestOidcProvider | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    op = await startTestOidcProvider();
    server = await startTestServer(kind, { env: { ...options.env, ...oauthEnv(op, {}, options.extraProviders?.(op) ?? []) } });
    await bind({ op, server });
   }, START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    await op?.close();
  });
}

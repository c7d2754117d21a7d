import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser, ME } from "./support/accounts";
import { countingFetch } from "./support/client-fetch";
import { nextTotpCode, userWithTwoFactor } from "./support/two-factor";
import { createLatchkeyClient, createLatchkeyFetch, type AuthMode, type AuthEventName, type LatchkeyClient } from "../packages/client/src/index.ts";

const CONCURRENT = 20;

function recordEvents(client: LatchkeyClient): string[] {
  const seen: string[] = [];
  const names: AuthEventName[] = ["signedIn", "refreshed", "signedOut", "sessionRevoked", "twoFactorRequired"];
  for (const name of names) client.store.on(name, (payload) => seen.push(name === "signedOut" ? `signedOut:${(payload as { reason: string }).reason}` : name));
  return seen;
}

async function meThrough(send: ReturnType<typeof createLatchkeyFetch>, url: string) {
  const response = await send(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: ME }) });
  return (await response.json()) as { data?: { me?: { id: string } } | null; errors?: Array<{ extensions?: { code?: string } }> };
}

// @latchkey/client's fetch wrapper against the real server, in both modes: an expired access
// token is renewed by one refreshSession however many requests hit it at once, and each request
// is sent again and succeeds; a refresh the server refuses signs the app out.
describe.each(testDatabases)("@latchkey/client refreshing on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.stop());

  const graphqlUrl = () => `${server.url}/graphql`;

  async function signedInClient(mode: AuthMode) {
    const transport = countingFetch({ cookies: mode === "cookie" });
    const client = createLatchkeyClient({ url: graphqlUrl(), mode, fetch: transport.fetch });
    const events = recordEvents(client);
    const user = await registerUser(server);
    const outcome = await client.signIn({ identifier: user.username, password: user.password, expiresInMinutes: 1 });
    expect(outcome).toEqual({ status: "signedIn", userId: user.id });
    return { client, transport, events, user, send: createLatchkeyFetch(client) };
  }

  /** Past the one-minute access token and its 5 s of allowed skew; the refresh token still lives. */
  const expireAccessToken = () => server.clock.advance(75_000);

  it.each<AuthMode>(["bearer", "cookie"])("%s mode: 20 requests failing at once cause one refresh, and all 20 are retried and succeed", async (mode) => {
    const { client, transport, events, user, send } = await signedInClient(mode);
    if (mode === "bearer") expect(client.store.snapshot().accessToken).toEqual(expect.any(String));
    else {
      expect(client.store.snapshot()).toEqual({ signedIn: true });
      expect(transport.cookieNames()).toEqual(expect.arrayContaining(["lk_access", "lk_refresh"]));
    }
    const before = client.store.snapshot().accessToken;
    expect((await meThrough(send, graphqlUrl())).data?.me?.id).toBe(user.id);

    expireAccessToken();
    const requestsBefore = transport.requests();
    const results = await Promise.all(Array.from({ length: CONCURRENT }, () => meThrough(send, graphqlUrl())));

    expect(results.map((result) => result.data?.me?.id)).toEqual(Array(CONCURRENT).fill(user.id));
    expect(transport.refreshes()).toBe(1);
    // Each request twice (refused, then retried) plus the one refresh.
    expect(transport.requests() - requestsBefore).toBe(2 * CONCURRENT + 1);
    expect(events).toEqual(["signedIn", "refreshed"]);
    if (mode === "bearer") expect(client.store.snapshot().accessToken).not.toBe(before);
    expect(client.store.snapshot().signedIn).toBe(true);
  });

  it.each<AuthMode>(["bearer", "cookie"])("%s mode: a refused refresh signs out (sessionRevoked, then signedOut) and empties the store", async (mode) => {
    const { client, transport, events, send } = await signedInClient(mode);
    // The session ends elsewhere (another device signs out everywhere); then the access token expires.
    const ended = await send(graphqlUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "mutation { logoutAllSessions }" }) });
    expect((await ended.json()).data.logoutAllSessions).toBe(1);
    expireAccessToken();

    const results = await Promise.all(Array.from({ length: CONCURRENT }, () => meThrough(send, graphqlUrl())));
    expect(results.map((result) => result.errors?.[0]?.extensions?.code)).toEqual(Array(CONCURRENT).fill("UNAUTHENTICATED"));
    expect(transport.refreshes()).toBe(1);
    expect(events).toEqual(["signedIn", "sessionRevoked", "signedOut:sessionRevoked"]);
    expect(client.store.snapshot()).toEqual({ signedIn: false });
    expect(client.store.refreshToken()).toBeUndefined();
  });

  it.each<AuthMode>(["bearer", "cookie"])("%s mode: viewer answering null for an expired session is refreshed once and asked again", async (mode) => {
    const { transport, user, send } = await signedInClient(mode);
    expireAccessToken();
    const response = await send(graphqlUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "query Viewer { viewer { id } }" }) });
    expect(await response.json()).toEqual({ data: { viewer: { id: user.id } } });
    expect(transport.refreshes()).toBe(1);
  });

  it("signs out on request: logout reaches the server, the store empties, signedOut says why", async () => {
    const { client, events, send } = await signedInClient("bearer");
    const token = client.store.snapshot().accessToken!;
    await client.signOut();
    expect(events).toEqual(["signedIn", "signedOut:signedOut"]);
    expect(client.store.snapshot()).toEqual({ signedIn: false });
    expect((await server.gql(ME, {}, { token })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    // Signed out, a request that needs a session fails without trying to refresh.
    expect((await meThrough(send, graphqlUrl())).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it.each<AuthMode>(["bearer", "cookie"])("%s mode: sign-in with two-factor on fires twoFactorRequired, then the events follow the session in order", async (mode) => {
    const transport = countingFetch({ cookies: mode === "cookie" });
    const client = createLatchkeyClient({ url: graphqlUrl(), mode, fetch: transport.fetch });
    const events = recordEvents(client);
    const send = createLatchkeyFetch(client);
    const user = await userWithTwoFactor(server);

    const first = await client.signIn({ identifier: user.username, password: user.password, expiresInMinutes: 1 });
    expect(first).toEqual({ status: "twoFactorRequired", challengeToken: expect.any(String), methods: ["TOTP", "RECOVERY_CODE"], expiresAt: expect.any(String) });
    expect(client.store.snapshot().signedIn).toBe(false);
    if (first.status !== "twoFactorRequired") throw new Error("no challenge");
    const second = await client.verifyTwoFactor({ challengeToken: first.challengeToken, code: nextTotpCode(server, user.secret) });
    expect(second).toEqual({ status: "signedIn", userId: user.id });

    expireAccessToken();
    expect((await meThrough(send, graphqlUrl())).data?.me?.id).toBe(user.id);
    await client.signOut();
    expect(events).toEqual(["twoFactorRequired", "signedIn", "refreshed", "signedOut:signedOut"]);
    expect(transport.refreshes()).toBe(1);
  });
});

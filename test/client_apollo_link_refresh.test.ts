import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser } from "./support/accounts";
import { countingFetch } from "./support/client-fetch";
import { createLatchkeyClient, LoginDocument, possibleTypes, type AuthMode } from "../packages/client/src/index.ts";
import { createLatchkeyLink } from "../packages/client/src/apollo.ts";

const CONCURRENT = 20;
const ME = gql`query Me { me { id } }`;

// The Apollo Link of @latchkey/client in Apollo Client, against the real server: the same
// single refresh for many failing operations, and the LoginResult union matched in the cache
// by the generated possibleTypes.
describe.each(testDatabases)("@latchkey/client's Apollo Link on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.stop());

  function apolloFor(mode: AuthMode) {
    const transport = countingFetch({ cookies: mode === "cookie" });
    const url = `${server.url}/graphql`;
    const latchkey = createLatchkeyClient({ url, mode, fetch: transport.fetch });
    const apollo = new ApolloClient({
      link: ApolloLink.from([createLatchkeyLink(latchkey), new HttpLink({ uri: url, fetch: transport.fetch })]),
      cache: new InMemoryCache({ possibleTypes }),
    });
    return { latchkey, apollo, transport };
  }

  it.each<AuthMode>(["bearer", "cookie"])("%s mode: 20 operations failing at once cause one refresh; all are retried and answer", async (mode) => {
    const { latchkey, apollo, transport } = apolloFor(mode);
    const events: string[] = [];
    latchkey.store.on("signedIn", () => events.push("signedIn"));
    latchkey.store.on("refreshed", () => events.push("refreshed"));
    const user = await registerUser(server);
    expect((await latchkey.signIn({ identifier: user.username, password: user.password, expiresInMinutes: 1 })).status).toBe("signedIn");
    expect((await apollo.query({ query: ME, fetchPolicy: "network-only" })).data).toEqual({ me: { __typename: "User", id: user.id } });

    server.clock.advance(75_000);
    const results = await Promise.all(Array.from({ length: CONCURRENT }, () => apollo.query({ query: ME, fetchPolicy: "no-cache" })));
    expect(results.map((result) => (result.data as { me: { id: string } }).me.id)).toEqual(Array(CONCURRENT).fill(user.id));
    expect(transport.refreshes()).toBe(1);
    expect(events).toEqual(["signedIn", "refreshed"]);
  });

  it("bearer mode: a refused refresh passes the UNAUTHENTICATED error on and signs out", async () => {
    const { latchkey, apollo, transport } = apolloFor("bearer");
    const revoked: string[] = [];
    latchkey.store.on("sessionRevoked", () => revoked.push("sessionRevoked"));
    latchkey.store.on("signedOut", ({ reason }) => revoked.push(`signedOut:${reason}`));
    const user = await registerUser(server);
    await latchkey.signIn({ identifier: user.username, password: user.password, expiresInMinutes: 1 });
    await apollo.mutate({ mutation: gql`mutation EndAll { logoutAllSessions }` });
    server.clock.advance(75_000);

    const outcome = await apollo.query({ query: ME, fetchPolicy: "no-cache", errorPolicy: "all" });
    expect((outcome.error as { errors?: Array<{ extensions?: { code?: string } }> } | undefined)?.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(transport.refreshes()).toBe(1);
    expect(revoked).toEqual(["sessionRevoked", "signedOut:sessionRevoked"]);
    expect(latchkey.store.snapshot()).toEqual({ signedIn: false });
  });

  it("signs in through Apollo, and with possibleTypes the cache matches fragments on the LoginResult union", async () => {
    const { apollo } = apolloFor("bearer");
    const user = await registerUser(server);
    const result = await apollo.mutate({ mutation: LoginDocument, variables: { input: { identifier: user.username, password: user.password } } });
    expect(result.data?.login.__typename).toBe("AuthPayload");

    // Without possibleTypes Apollo cannot tell that a TwoFactorChallenge is a LoginResult (and
    // warns in development): the fields under `... on TwoFactorChallenge` would read as missing.
    const onUnion = gql`fragment Challenge on LoginResult { __typename ... on TwoFactorChallenge { challengeToken } }`;
    const readThrough = (cache: InMemoryCache) => {
      cache.writeFragment({
        id: "TwoFactorChallenge:1",
        fragment: gql`fragment Written on TwoFactorChallenge { challengeToken }`,
        data: { __typename: "TwoFactorChallenge", challengeToken: "challenge" },
      });
      return cache.readFragment({ id: "TwoFactorChallenge:1", fragment: onUnion, returnPartialData: true });
    };
    expect(readThrough(new InMemoryCache({ possibleTypes }))).toEqual({ __typename: "TwoFactorChallenge", challengeToken: "challenge" });
    expect(readThrough(new InMemoryCache())).toEqual({ __typename: "TwoFactorChallenge" });
    expect(possibleTypes).toEqual({ LoginResult: ["AuthPayload", "TwoFactorChallenge"] });
  });
});

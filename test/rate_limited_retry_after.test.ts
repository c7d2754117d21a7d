import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerSignedInUser, uniqueName } from "./support/accounts";

const HOUR_S = 3600;
const MINUTE_S = 60;

const RESET = /* GraphQL */ `mutation($email: String!) { requestPasswordReset(email: $email) }`;
const REFRESH = /* GraphQL */ `mutation { refreshSession(refreshToken: "not-a-refresh-token") { accessToken } }`;

interface Answer {
  status: number;
  retryAfter: string | null;
  body: any;
}

/** The one RATE_LIMITED error's wait in an answer's errors, or undefined. */
const waitOf = (errors: Array<{ extensions?: Record<string, any> }> | undefined): number | undefined =>
  errors?.find((error) => error.extensions?.code === "RATE_LIMITED")?.extensions?.retryAfterSeconds;

// A client or proxy that knows HTTP's Retry-After need not read the body to back off: every
// RATE_LIMITED answer carries it, in whole seconds, the same as extensions.retryAfterSeconds,
// the longest wait of a batch; other answers carry none.
describe.each(testDatabases)("Retry-After on RATE_LIMITED answers on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, {
      env: {
        RATE_LIMIT_REQUEST_PASSWORD_RESET: "1/1h",
        RATE_LIMIT_REFRESH_SESSION: "1/1m",
        RATE_LIMIT_SEARCH_USERS: "1/1h",
        RATE_LIMIT_EMAIL_CHANGE: "1/1h",
        CORS_ORIGINS: "https://app.example",
      },
    });
  });
  afterAll(() => server.stop());

  const post = async (body: unknown, token?: string): Promise<Answer> => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
  };
  const reset = (email: string) => ({ query: RESET, variables: { email } });

  it("sets it from the limiter's wait on a rate-limited field, keeping status 200", async () => {
    const email = `${uniqueName()}@example.com`;
    const first = await post(reset(email));
    expect(first.body).toEqual({ data: { requestPasswordReset: true } });
    expect(first.retryAfter).toBeNull();

    const second = await post(reset(email));
    expect(second.status).toBe(200);
    const wait = waitOf(second.body.errors);
    expect(wait).toBeGreaterThan(HOUR_S - 600);
    expect(wait).toBeLessThanOrEqual(HOUR_S);
    expect(second.retryAfter).toBe(String(wait));
  });

  it("lets a front end on an allowed origin read it (CORS)", async () => {
    const email = `${uniqueName()}@example.com`;
    await post(reset(email));
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://app.example" },
      body: JSON.stringify(reset(email)),
    });
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(response.headers.get("access-control-expose-headers")?.toLowerCase().split(/,\s*/)).toContain("retry-after");
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(MINUTE_S);
  });

  it("sets none on answers that are not rate-limited, errors included", async () => {
    const refused = await post({ query: "{ me { id } }" });
    expect(refused.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(refused.retryAfter).toBeNull();
  });

  it("takes the longest wait of a batch", async () => {
    const email = `${uniqueName()}@example.com`;
    // Use up both budgets: one an hour for this address, one a minute for refreshes.
    await post(reset(email));
    expect((await post({ query: REFRESH })).body.errors?.[0].extensions?.code).toMatch(/UNAUTHENTICATED|RATE_LIMITED/);

    const batch = await post([{ query: REFRESH }, reset(email), { query: "{ passwordPolicy { minLength } }" }]);
    expect(batch.status).toBe(200);
    const [refresh, resetAgain, policy] = batch.body;
    const minuteWait = waitOf(refresh.errors)!;
    const hourWait = waitOf(resetAgain.errors)!;
    expect(minuteWait).toBeLessThanOrEqual(MINUTE_S);
    expect(hourWait).toBeGreaterThan(MINUTE_S);
    expect(policy.data.passwordPolicy.minLength).toBeGreaterThan(0);
    expect(batch.retryAfter).toBe(String(hourWait));

    // The other order gives the same header: the longest wins, not the last.
    const reversed = await post([reset(email), { query: REFRESH }]);
    expect(reversed.retryAfter).toBe(String(Math.max(waitOf(reversed.body[0].errors)!, waitOf(reversed.body[1].errors)!)));
    expect(Number(reversed.retryAfter)).toBeGreaterThan(MINUTE_S);
  });

  it("sets it on a query sent by GET (served by the express path)", async () => {
    const query = encodeURIComponent("{ searchUsers { totalCount } }");
    const ask = () => fetch(`${server.url}/graphql?query=${query}`, { headers: { "apollo-require-preflight": "true" } });
    const first = await ask();
    expect(((await first.json()) as any).errors?.[0].extensions?.code).not.toBe("RATE_LIMITED");
    expect(first.headers.get("retry-after")).toBeNull();
    const second = await ask();
    const wait = waitOf(((await second.json()) as any).errors);
    expect(wait).toBeGreaterThan(MINUTE_S);
    expect(second.headers.get("retry-after")).toBe(String(wait));
  });

  it("sets it when a service refuses past its own limit (e-mail changes per account)", async () => {
    const user = await registerSignedInUser(server);
    const change = (address: string) => ({
      query: `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { pendingEmail } }`,
      variables: { input: { email: address } },
    });
    const first = await post(change(`${uniqueName()}@example.com`), user.token);
    expect(first.body.errors).toBeUndefined();
    const second = await post(change(`${uniqueName()}@example.com`), user.token);
    const wait = waitOf(second.body.errors);
    expect(wait).toBeGreaterThan(MINUTE_S);
    expect(second.retryAfter).toBe(String(wait));
  });
});

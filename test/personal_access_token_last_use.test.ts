import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, registerSignedInUser } from "./support/accounts";
import { LIST_PATS, createPat, outcome } from "./support/personal-access-tokens";

const SECOND = 1_000;

// A token's last use is recorded (when and from where), at most once a minute, off the response path.
describe.each(testDatabases)("personal access token last use on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { TRUST_PROXY: "1" } });
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  const use = async (secret: string, ip: string) => {
    const { body } = await server.gql(ME, {}, { token: secret, headers: { "x-forwarded-for": ip } });
    expect(outcome(body)).toBe("OK");
    // The write runs after the answer; wait for it rather than for time to pass.
    await server.app.services.personalAccessTokens.settle();
  };
  const stored = (id: string) => server.app.database.prisma.personalAccessToken.findUniqueOrThrow({ where: { id } });

  it("records the first use, writes again only a minute later, and shows it in the list", async () => {
    const user = await registerSignedInUser(server);
    const { secret, token } = await createPat(server, user.token);
    expect((await stored(token.id)).lastUsedAt).toBeNull();

    const firstAt = server.clock.now().getTime();
    await use(secret, "203.0.113.7");
    const first = await stored(token.id);
    expect(first.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(firstAt - SECOND);
    expect(first.lastUsedIp).toBe("203.0.113.7");

    // Within the minute: busy scripts do not write on every request.
    server.clock.advance(30 * SECOND);
    for (let i = 0; i < 5; i++) await use(secret, "198.51.100.9");
    const unchanged = await stored(token.id);
    expect([unchanged.lastUsedAt, unchanged.lastUsedIp]).toEqual([first.lastUsedAt, "203.0.113.7"]);

    server.clock.advance(31 * SECOND);
    await use(secret, "198.51.100.9");
    const later = await stored(token.id);
    expect(later.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(first.lastUsedAt!.getTime() + 60 * SECOND);
    expect(later.lastUsedIp).toBe("198.51.100.9");

    const listed = (await server.gql(LIST_PATS, {}, { token: user.token })).body.data.personalAccessTokens;
    expect(new Date(listed[0].lastUsedAt).getTime()).toBe(later.lastUsedAt!.getTime());
  });

  it("records a use out of scope, and nothing for a revoked token", async () => {
    const user = await registerSignedInUser(server);
    const { secret, token } = await createPat(server, user.token, ["write:profile"]);
    // Authenticated but out of scope: that is still a use of the token.
    expect(outcome((await server.gql(ME, {}, { token: secret })).body)).toBe("FORBIDDEN/TOKEN_SCOPE");
    await server.app.services.personalAccessTokens.settle();
    expect((await stored(token.id)).lastUsedAt).not.toBeNull();

    const other = await createPat(server, user.token);
    await server.gql(`mutation ($id: ID!) { revokePersonalAccessToken(id: $id) { id } }`, { id: other.token.id }, { token: user.token });
    expect(outcome((await server.gql(ME, {}, { token: other.secret })).body)).toBe("UNAUTHENTICATED");
    await server.app.services.personalAccessTokens.settle();
    expect((await stored(other.token.id)).lastUsedAt).toBeNull();
  });
});

import { randomBytes } from "node:crypto";
import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases, type TestDatabaseKind } from "./support/databases";
import { isAccepted, registerSignedInUser } from "./support/accounts";
import { REVOKE_PAT, createPat, outcome } from "./support/personal-access-tokens";
import { metricValue } from "./support/process-client";

const HITS = 'latchkey_personal_access_token_cache_lookups_total{result="hit"}';
const MISSES = 'latchkey_personal_access_token_cache_lookups_total{result="miss"}';
const UPDATE_NAME = `mutation ($name: String) { updateProfile(input: { name: $name }) { profile { name } } }`;

/** Invalidations reach every process: the embedded database is one process; PostgreSQL shares Redis. */
const cachingEnv = (kind: TestDatabaseKind): Record<string, string> =>
  kind === "postgres" ? { REDIS_URL: "redis://127.0.0.1:6379", REDIS_PREFIX: `latchkey-test-${randomBytes(4).toString("hex")}:` } : {};

/**
 * The token lookup is kept in memory, so a request with a token usually costs no round trip.
 * The threats: a lookup sent on every request anyway (the cache does nothing), a cached token
 * that outlives an announced revocation or change to its owner, and the last-use write issued on
 * every request from a stale cached row. A lookup is observed through the database: a row
 * changed behind the server's back (announced to no cache) is what the next lookup would read.
 */
describe.each(testDatabases)("the personal access token lookup cache on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: cachingEnv(kind) });
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  const prisma = () => server.app.database.prisma;

  it("sends no lookup after the first: a revocation written behind the server's back is not read until one is announced", async () => {
    const user = await registerSignedInUser(server);
    const { secret, token } = await createPat(server, user.token);
    const misses = await metricValue(server.url, MISSES);
    const hits = await metricValue(server.url, HITS);
    expect(await isAccepted(server, secret)).toBe(true);
    // Revoked in the database only: any lookup from now on would refuse the token.
    await prisma().personalAccessToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    for (let i = 0; i < 3; i++) expect(await isAccepted(server, secret)).toBe(true);
    expect(await metricValue(server.url, MISSES)).toBe(misses + 1);
    expect(await metricValue(server.url, HITS)).toBe(hits + 3);
    // revokePersonalAccessToken announces the owner even for a token already revoked.
    expect(outcome((await server.gql(REVOKE_PAT, { id: token.id }, { token: user.token })).body)).toBe("OK");
    expect(await isAccepted(server, secret)).toBe(false);
  });

  it("forgets a user's cached tokens when a change to the user is announced", async () => {
    const user = await registerSignedInUser(server);
    const { secret, token } = await createPat(server, user.token);
    expect(await isAccepted(server, secret)).toBe(true);
    await prisma().personalAccessToken.delete({ where: { id: token.id } });
    expect(await isAccepted(server, secret)).toBe(true);
    // Any audited change to the account announces its user (here a profile edit).
    expect(outcome((await server.gql(UPDATE_NAME, { name: "Renamed" }, { token: user.token })).body)).toBe("OK");
    expect(await isAccepted(server, secret)).toBe(false);
  });

  it("writes the last use from the cached row at most once a minute, not on every request", async () => {
    const user = await registerSignedInUser(server);
    const { secret, token } = await createPat(server, user.token);
    const lastUsedAt = async () => (await prisma().personalAccessToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt;
    expect(await isAccepted(server, secret)).toBe(true);
    await server.app.services.personalAccessTokens.settle();
    expect(await lastUsedAt()).not.toBeNull();
    // Erased behind the server's back: a write issued from a stale cached row would set it again.
    await prisma().personalAccessToken.update({ where: { id: token.id }, data: { lastUsedAt: null } });
    server.clock.advance(1_000);
    for (let i = 0; i < 2; i++) expect(await isAccepted(server, secret)).toBe(true);
    await server.app.services.personalAccessTokens.settle();
    expect(await lastUsedAt()).toBeNull();
    // A minute after the write, the next request writes again.
    server.clock.advance(60_000);
    const minuteLater = server.clock.now().getTime();
    expect(await isAccepted(server, secret)).toBe(true);
    await server.app.services.personalAccessTokens.settle();
    expect((await lastUsedAt())?.getTime()).toBeGreaterThanOrEqual(minuteLater);
  });
});

/**
 * PostgreSQL without Redis: another process could revoke a token and tell nobody. The threat: a
 * token served from memory after its revocation. Nothing is cached; every request looks it up.
 */
(testDatabases.includes("postgres") ? describe : describe.skip)("the personal access token lookup cache on PostgreSQL without Redis", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("postgres");
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it("refuses a token revoked elsewhere on the very next request: nothing is cached", async () => {
    const user = await registerSignedInUser(server);
    const { secret, token } = await createPat(server, user.token);
    for (let i = 0; i < 3; i++) expect(await isAccepted(server, secret)).toBe(true);
    // As another process would revoke it: in the database, with no channel to announce it on.
    await server.app.database.prisma.personalAccessToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    expect(await isAccepted(server, secret)).toBe(false);
    expect(await metricValue(server.url, HITS)).toBe(0);
  });

  it("refuses a token revoked through the API on the next request", async () => {
    const user = await registerSignedInUser(server);
    const { secret, token } = await createPat(server, user.token);
    for (let i = 0; i < 2; i++) expect(await isAccepted(server, secret)).toBe(true);
    expect(outcome((await server.gql(REVOKE_PAT, { id: token.id }, { token: user.token })).body)).toBe("OK");
    expect(await isAccepted(server, secret)).toBe(false);
  });
});

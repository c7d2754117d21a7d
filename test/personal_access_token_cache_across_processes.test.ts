import { Client } from "pg";
import { startServerPair, type ServerPair, type ServerProcess } from "./support/server-process";
import { LOGIN, ME, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, uniqueName } from "./support/accounts";
import { ADMIN_ENV, ADMIN_PASSWORD, ADMIN_USERNAME } from "./support/admin";
import { CREATE_PAT, REVOKE_PAT } from "./support/personal-access-tokens";
import { codeOf, metricValue, postGraphQL } from "./support/process-client";

const HITS = 'latchkey_personal_access_token_cache_lookups_total{result="hit"}';
const SEARCH = `query { searchUsers(first: 1) { totalCount } }`;
const SET_ROLE = `mutation ($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id } }`;
const SET_DISABLED = `mutation ($userId: ID!) { setUserDisabled(userId: $userId, disabled: true) { id } }`;

/**
 * Each process keeps token lookups in memory. The threat: a token revoked, or whose owner was
 * disabled or demoted, on one process keeps working on another from its memory. The other
 * process must refuse it (or its staff scope) on its very next request.
 */
describe("cached personal access tokens across two server processes on shared PostgreSQL and Redis", () => {
  let pair: ServerPair;
  let a: ServerProcess;
  let b: ServerProcess;
  let admin: string;
  let db: Client;

  beforeAll(async () => {
    pair = await startServerPair({ ...ADMIN_ENV });
    [a, b] = pair.servers;
    admin = (await postGraphQL(a.url, LOGIN, { input: { identifier: ADMIN_USERNAME, password: ADMIN_PASSWORD } })).body.data.login.accessToken;
    db = new Client({ connectionString: pair.databaseUrl });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await pair?.stop();
  });

  /** A new account, signed in on the first process; its role set in the database before anything could cache it. */
  async function account(role: "USER" | "MODERATOR" = "USER") {
    const username = uniqueName("patc");
    const registered = await postGraphQL(a.url, REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
    expect(codeOf(registered.body)).toBe("OK");
    if (role !== "USER") await db.query(`UPDATE "User" SET role = $1 WHERE username = $2`, [role, username]);
    const login = (await postGraphQL(a.url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } })).body.data.login;
    return { username, session: login.accessToken as string };
  }

  async function token(session: string, scopes: string[]) {
    const created = await postGraphQL(a.url, CREATE_PAT, { name: "cached", scopes }, session);
    expect(codeOf(created.body)).toBe("OK");
    return created.body.data.createPersonalAccessToken as { secret: string; token: { id: string } };
  }

  /** Uses the token on the second process until it answers from memory (two hits more). */
  async function cachedOnSecond(query: string, secret: string) {
    const before = await metricValue(b.url, HITS);
    for (let i = 0; i < 3; i++) expect(codeOf((await postGraphQL(b.url, query, {}, secret)).body)).toBe("OK");
    expect(await metricValue(b.url, HITS)).toBeGreaterThanOrEqual(before + 2);
  }

  const userIdOf = async (username: string) => (await db.query<{ id: string }>(`SELECT id FROM "User" WHERE username = $1`, [username])).rows[0].id;

  it("refuses a token revoked on one process on the other's very next request", async () => {
    const owner = await account();
    const { secret, token: row } = await token(owner.session, ["read:profile"]);
    await cachedOnSecond(ME, secret);
    expect(codeOf((await postGraphQL(a.url, REVOKE_PAT, { id: row.id }, owner.session)).body)).toBe("OK");
    expect(codeOf((await postGraphQL(b.url, ME, {}, secret)).body)).toBe("UNAUTHENTICATED");
    expect(codeOf((await postGraphQL(a.url, ME, {}, secret)).body)).toBe("UNAUTHENTICATED");
  });

  it("refuses the token of an account disabled on one process on the other's very next request", async () => {
    const owner = await account();
    const { secret } = await token(owner.session, ["read:profile"]);
    await cachedOnSecond(ME, secret);
    const disabled = await postGraphQL(a.url, SET_DISABLED, { userId: await userIdOf(owner.username) }, admin);
    expect(codeOf(disabled.body)).toBe("OK");
    expect(codeOf((await postGraphQL(b.url, ME, {}, secret)).body)).toBe("UNAUTHENTICATED");
  });

  it("drops the staff scope of a token whose owner is demoted on one process from the other's very next request", async () => {
    const owner = await account("MODERATOR");
    const { secret } = await token(owner.session, ["admin:read", "read:profile"]);
    await cachedOnSecond(SEARCH, secret);
    const demoted = await postGraphQL(a.url, SET_ROLE, { userId: await userIdOf(owner.username), role: "USER" }, admin);
    expect(codeOf(demoted.body)).toBe("OK");
    const search = await postGraphQL(b.url, SEARCH, {}, secret);
    expect([codeOf(search.body), search.body.errors?.[0]?.extensions.reason]).toEqual(["FORBIDDEN", "TOKEN_SCOPE"]);
    // The token itself still works for what its other scope opens.
    expect((await postGraphQL(b.url, ME, {}, secret)).body.data?.me.role).toBe("USER");
  });
});

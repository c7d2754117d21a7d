import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, ME, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, isAccepted, registerSignedInUser, uniqueName } from "./support/accounts";
import { CREATE_PAT, REVOKE_PAT, createPat } from "./support/personal-access-tokens";
import { startServerPair, type ServerPair } from "./support/server-process";
import { codeOf, postGraphQL } from "./support/process-client";

const DAY = 24 * 60 * 60_000;

// A revoked or expired token is refused from the very next request, like a bad token.
describe.each(testDatabases)("personal access tokens revoked at once on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it("refuses a token from the request after its revocation", async () => {
    const user = await registerSignedInUser(server);
    const { secret, token } = await createPat(server, user.token);
    for (let i = 0; i < 3; i++) expect(await isAccepted(server, secret)).toBe(true);
    await server.gql(REVOKE_PAT, { id: token.id }, { token: user.token });
    expect(await isAccepted(server, secret)).toBe(false);
    // The session that made it is untouched.
    expect(await isAccepted(server, user.token)).toBe(true);
  });

  it("refuses a token once it expires", async () => {
    const user = await registerSignedInUser(server);
    const expiresAt = new Date(server.clock.now().getTime() + DAY).toISOString();
    const { secret } = await createPat(server, user.token, ["read:profile"], { expiresAt });
    expect(await isAccepted(server, secret)).toBe(true);
    server.clock.advance(DAY + 1_000);
    expect(await isAccepted(server, secret)).toBe(false);
  });

  it("refuses unknown, altered and malformed tokens as UNAUTHENTICATED, never as an error", async () => {
    const user = await registerSignedInUser(server);
    const { secret } = await createPat(server, user.token);
    const flipped = secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");
    for (const bad of [flipped, "lk_pat_", "lk_pat_short", `${secret}x`, secret.replace("lk_pat_", "lk_pat_x")]) {
      const { status, body } = await server.gql(ME, {}, { token: bad });
      expect([bad.length, status, body.errors?.[0].extensions?.code]).toEqual([bad.length, 200, "UNAUTHENTICATED"]);
    }
    // viewer answers null, without the session-refresh hint a JWT would get.
    const viewer = await server.gql(`query { viewer { id } }`, {}, { token: flipped });
    expect(viewer.body.data.viewer).toBeNull();
    expect(JSON.stringify(viewer.body)).not.toContain("EXPIRED");
  });
});

// The second process answers the token from memory after its first lookup: a revocation on the first must reach it at once.
describe("personal access tokens revoked across two server processes", () => {
  let pair: ServerPair;
  beforeAll(async () => {
    pair = await startServerPair();
  }, 120_000);
  afterAll(() => pair?.stop());

  it("refuses a token on the other process from the request after its revocation", async () => {
    const [first, second] = pair.servers;
    const username = uniqueName("pair");
    await postGraphQL(first.url, REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
    const session = (await postGraphQL(first.url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } })).body.data.login.accessToken as string;
    const created = (await postGraphQL(first.url, CREATE_PAT, { name: "pair" }, session)).body.data.createPersonalAccessToken;
    for (let i = 0; i < 3; i++) expect((await postGraphQL(second.url, ME, {}, created.secret)).body.data?.me.username).toBe(username);
    expect(codeOf((await postGraphQL(first.url, REVOKE_PAT, { id: created.token.id }, session)).body)).toBe("OK");
    expect(codeOf((await postGraphQL(second.url, ME, {}, created.secret)).body)).toBe("UNAUTHENTICATED");
    expect(codeOf((await postGraphQL(first.url, ME, {}, created.secret)).body)).toBe("UNAUTHENTICATED");
  });
});

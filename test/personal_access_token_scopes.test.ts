import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, MY_SESSIONS, registerSignedInUser } from "./support/accounts";
import { signedInAs } from "./support/admin";
import { createPat, outcome } from "./support/personal-access-tokens";
import { wsClient } from "./support/ws-client";

const UPDATE_NAME = `mutation ($name: String) { updateProfile(input: { name: $name }) { profile { name } } }`;
const SEARCH = `query { searchUsers(first: 5) { totalCount } }`;
const USER_BY_ID = `query ($id: ID!) { user(id: $id) { id username } }`;
const SET_ROLE = `mutation ($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id } }`;

// A token reaches only the root fields its scopes open; everything else is FORBIDDEN / TOKEN_SCOPE.
describe.each(testDatabases)("personal access token scopes on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it("read:profile reads the owner's own account and sessions, and nothing else", async () => {
    const user = await registerSignedInUser(server);
    const { secret } = await createPat(server, user.token, ["read:profile"]);
    const me = await server.gql(ME, {}, { token: secret });
    expect(me.body.data?.me).toMatchObject({ id: user.id, username: user.username });
    expect((await server.gql(`query { viewer { id } }`, {}, { token: secret })).body.data?.viewer.id).toBe(user.id);
    const sessions = await server.gql(MY_SESSIONS, {}, { token: secret });
    expect(outcome(sessions.body)).toBe("OK");
    // The token is no session: none of the listed sessions is "current".
    expect(sessions.body.data.mySessions.length).toBeGreaterThan(0);
    expect(sessions.body.data.mySessions.every((session: { current: boolean }) => !session.current)).toBe(true);

    const write = await server.gql(UPDATE_NAME, { name: "Changed" }, { token: secret });
    expect(outcome(write.body)).toBe("FORBIDDEN/TOKEN_SCOPE");
    expect(write.body.errors?.[0].extensions?.scope).toBe("write:profile");
    // Unmarked fields, public ones included, are closed to tokens (default-deny).
    expect(outcome((await server.gql(`query { passwordPolicy { minLength } }`, {}, { token: secret })).body)).toBe("FORBIDDEN/TOKEN_SCOPE");
    expect(outcome((await server.gql(`query { webhookEndpoints { id } }`, {}, { token: secret })).body)).toBe("FORBIDDEN/TOKEN_SCOPE");
    expect(outcome((await server.gql(SEARCH, {}, { token: secret })).body)).toBe("FORBIDDEN/TOKEN_SCOPE");
    const profile = await server.app.database.prisma.profile.findUnique({ where: { userId: user.id } });
    expect(profile?.name ?? null).not.toBe("Changed");
  });

  it("write:profile changes the profile but does not read", async () => {
    const user = await registerSignedInUser(server);
    const { secret } = await createPat(server, user.token, ["write:profile"]);
    const write = await server.gql(UPDATE_NAME, { name: "Scripted Name" }, { token: secret });
    expect(write.body.data?.updateProfile.profile.name).toBe("Scripted Name");
    expect(outcome((await server.gql(ME, {}, { token: secret })).body)).toBe("FORBIDDEN/TOKEN_SCOPE");
    expect(outcome((await server.gql(`mutation { removeAvatar { id } }`, {}, { token: secret })).body)).not.toMatch(/TOKEN_SCOPE/);
  });

  it("admin:read is for MODERATOR and ADMIN only, and stops when the owner is demoted", async () => {
    const plain = await registerSignedInUser(server);
    const refused = await server.gql(
      `mutation { createPersonalAccessToken(name: "x", scopes: ["admin:read"]) { secret } }`, {}, { token: plain.token },
    );
    expect(outcome(refused.body)).toBe("BAD_USER_INPUT");

    const moderator = await signedInAs(server, "MODERATOR");
    const { secret } = await createPat(server, moderator.token, ["admin:read", "read:profile"]);
    expect(outcome((await server.gql(SEARCH, {}, { token: secret })).body)).toBe("OK");
    expect((await server.gql(USER_BY_ID, { id: plain.id }, { token: secret })).body.data?.user.username).toBe(plain.username);
    expect(outcome((await server.gql(`query { userSessions(userId: "${plain.id}") { id } }`, {}, { token: secret })).body)).toBe("OK");

    // Demoted the way an ADMIN does it: the change is announced, so a cached lookup of the token goes too.
    const admin = await signedInAs(server, "ADMIN");
    const demoted = await server.gql(SET_ROLE, { userId: moderator.user.id, role: "USER" }, { token: admin.token });
    expect(outcome(demoted.body)).toBe("OK");
    expect(outcome((await server.gql(SEARCH, {}, { token: secret })).body)).toBe("FORBIDDEN/TOKEN_SCOPE");
    expect(outcome((await server.gql(USER_BY_ID, { id: plain.id }, { token: secret })).body)).toBe("FORBIDDEN/TOKEN_SCOPE");
    // Its other scope still works.
    expect(outcome((await server.gql(ME, {}, { token: secret })).body)).toBe("OK");
  });

  it("refuses a token on the WebSocket (subscriptions need a session)", async () => {
    const user = await registerSignedInUser(server);
    const { secret } = await createPat(server, user.token, ["read:profile"]);
    const client = wsClient(server.url, { token: secret });
    try {
      const closed = await client.closed;
      expect(closed.code).toBe(4401);
    } finally {
      await client.dispose();
    }
  });
});

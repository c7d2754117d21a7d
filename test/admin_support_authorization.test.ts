import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { STRONG_PASSWORD, login, registerUser, uniqueName } from "./support/accounts";
import { ADMIN_ENV, adminToken, signedInAs } from "./support/admin";

const MINUTE = 60_000;

/** Each support mutation, as it would change `target` (an account made for the test). */
const MUTATIONS: Array<{ name: string; query: string; variables: (target: { id: string; sessionId: string }) => Record<string, unknown> }> = [
  {
    name: "createUser",
    query: `mutation ($input: AdminCreateUserInput!) { createUser(input: $input) { id } }`,
    variables: () => ({ input: { username: uniqueName("never"), password: STRONG_PASSWORD } }),
  },
  {
    name: "updateUser",
    query: `mutation ($userId: ID!) { updateUser(userId: $userId, input: { name: "Changed" }) { id } }`,
    variables: (t) => ({ userId: t.id }),
  },
  { name: "sendPasswordReset", query: `mutation ($userId: ID!) { sendPasswordReset(userId: $userId) }`, variables: (t) => ({ userId: t.id }) },
  { name: "deleteUser", query: `mutation ($userId: ID!) { deleteUser(userId: $userId) }`, variables: (t) => ({ userId: t.id }) },
  {
    name: "revokeUserSession",
    query: `mutation ($userId: ID!, $sessionId: ID!) { revokeUserSession(userId: $userId, sessionId: $sessionId) }`,
    variables: (t) => ({ userId: t.id, sessionId: t.sessionId }),
  },
  {
    name: "setUserDisabled",
    query: `mutation ($userId: ID!) { setUserDisabled(userId: $userId, disabled: true, reason: "r") { id } }`,
    variables: (t) => ({ userId: t.id }),
  },
];

// Only an ADMIN who proved who they are lately may do support work; everyone else changes nothing.
describe.each(testDatabases)("who may use the admin support API on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { ...ADMIN_ENV, REAUTH_MAX_AGE: "2m" } });
  });
  afterAll(() => server.stop());

  async function target() {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    return { id: user.id, sessionId: session.session.id, token: session.accessToken };
  }

  /** What the mutations could have changed about `t`, to compare before and after. */
  async function stateOf(t: { id: string; sessionId: string }) {
    const prisma = server.app.database.prisma;
    return {
      user: await prisma.user.findUniqueOrThrow({ where: { id: t.id }, include: { profile: true } }),
      session: await prisma.session.findUniqueOrThrow({ where: { id: t.sessionId } }),
      mails: await prisma.outboxMail.count(),
      users: await prisma.user.count(),
    };
  }

  it.each(["USER", "MODERATOR"] as const)("answers FORBIDDEN to a %s for every support mutation, changing nothing", async (role) => {
    const caller = await signedInAs(server, role);
    const t = await target();
    const before = await stateOf(t);
    for (const mutation of MUTATIONS) {
      const { body } = await server.gql(mutation.query, mutation.variables(t), { token: caller.token });
      expect({ name: mutation.name, code: body.errors?.[0]?.extensions?.code }).toEqual({ name: mutation.name, code: "FORBIDDEN" });
      expect(body.errors?.[0].extensions?.reason).toBeUndefined();
    }
    expect(await stateOf(t)).toEqual(before);
  });

  it("lets a MODERATOR read a user's sessions but answers FORBIDDEN to a USER", async () => {
    const t = await target();
    const query = `query ($userId: ID!) { userSessions(userId: $userId) { id } }`;
    const moderator = await signedInAs(server, "MODERATOR");
    expect((await server.gql(query, { userId: t.id }, { token: moderator.token })).body.data.userSessions).toEqual([{ id: t.sessionId }]);
    const user = await signedInAs(server, "USER");
    expect((await server.gql(query, { userId: t.id }, { token: user.token })).body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("answers REAUTHENTICATION_REQUIRED to an ADMIN whose sign-in is older than REAUTH_MAX_AGE, changing nothing, and works after reauthenticate", async () => {
    const admin = await adminToken(server);
    const t = await target();
    server.clock.advance(3 * MINUTE);
    const before = await stateOf(t);
    for (const mutation of MUTATIONS) {
      const { body } = await server.gql(mutation.query, mutation.variables(t), { token: admin });
      expect({ name: mutation.name, error: body.errors?.[0]?.extensions }).toEqual({
        name: mutation.name,
        error: expect.objectContaining({ code: "FORBIDDEN", reason: "REAUTHENTICATION_REQUIRED" }),
      });
    }
    expect(await stateOf(t)).toEqual(before);

    const reauth = await server.gql(`mutation ($input: ReauthenticateInput!) { reauthenticate(input: $input) { id } }`, { input: { password: ADMIN_ENV.ADMIN_PASSWORD } }, { token: admin });
    expect(reauth.body.errors).toBeUndefined();
    const updated = await server.gql(MUTATIONS[1].query, MUTATIONS[1].variables(t), { token: admin });
    expect(updated.body.errors).toBeUndefined();
  });
});

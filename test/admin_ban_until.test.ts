import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, REFRESH, isAccepted, login, registerUser } from "./support/accounts";
import { ADMIN_ENV, SEARCH_USERS, adminToken, signedInAs } from "./support/admin";

const BAN = /* GraphQL */ `
  mutation ($userId: ID!, $disabled: Boolean!, $reason: String, $until: DateTime) {
    setUserDisabled(userId: $userId, disabled: $disabled, reason: $reason, until: $until) { id disabled disabledReason disabledUntil }
  }
`;
const USER = /* GraphQL */ `query ($id: ID!) { user(id: $id) { id disabled disabledReason disabledUntil } }`;
const ME_BAN = /* GraphQL */ `query { me { id disabled disabledReason disabledUntil } }`;

const MINUTE = 60_000;

// A ban with an end lifts itself: at the end the account signs in and reads as enabled again,
// before any job has run; the ban sweep then clears the stored flag.
describe.each(testDatabases)("bans with a reason and an end on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ADMIN_ENV });
  });
  afterAll(() => server.stop());

  const signInCode = async (username: string, password: string) => {
    const { body } = await server.gql(LOGIN, { input: { identifier: username, password } });
    return body.errors?.[0]?.extensions ?? { code: "OK" };
  };
  const inMinutes = (minutes: number) => new Date(server.clock.now().getTime() + minutes * MINUTE).toISOString();

  it("refuses sign-in with ACCOUNT_DISABLED until the end, then lets the user in and reads as enabled", async () => {
    const admin = await adminToken(server);
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const until = inMinutes(30);
    const banned = await server.gql(BAN, { userId: user.id, disabled: true, reason: "Spam in the forum", until }, { token: admin });
    expect(banned.body.errors).toBeUndefined();
    expect(banned.body.data.setUserDisabled).toEqual({ id: user.id, disabled: true, disabledReason: "Spam in the forum", disabledUntil: until });
    expect(await isAccepted(server, session.accessToken)).toBe(false);
    expect((await server.gql(REFRESH, { token: session.refreshToken })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    // The answer of any disabled account, to the holder of the password only, with the end but not the reason.
    const refused = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password } });
    expect(refused.body.errors![0]).toMatchObject({ message: "This account is disabled", extensions: { code: "FORBIDDEN", reason: "ACCOUNT_DISABLED", disabledUntil: until } });
    expect(JSON.stringify(refused.body)).not.toContain("Spam");
    const wrongPassword = await server.gql(LOGIN, { input: { identifier: user.username, password: "not-the-password-at-all" } });
    expect(wrongPassword.body.errors![0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
    expect(wrongPassword.body.errors![0].extensions?.disabledUntil).toBeUndefined();

    const [event] = await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id, type: "USER_DISABLED" } });
    expect(event.metadata).toMatchObject({ reason: "Spam in the forum", until, sessionsRevoked: 1 });

    server.clock.advance(29 * MINUTE);
    expect(await signInCode(user.username, user.password)).toMatchObject({ code: "FORBIDDEN", reason: "ACCOUNT_DISABLED" });
    server.clock.advance(2 * MINUTE);
    // Past the end: the row still says disabled (no job ran), but nothing reads it as such.
    expect((await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).disabled).toBe(true);
    const back = await login(server, user.username);
    expect(await server.gql(ME_BAN, {}, { token: back.accessToken })).toMatchObject({
      body: { data: { me: { id: user.id, disabled: false, disabledReason: null, disabledUntil: null } } },
    });
    const refreshed = await server.gql(REFRESH, { token: back.refreshToken });
    expect(refreshed.body.errors).toBeUndefined();
    const freshAdmin = await adminToken(server);
    expect((await server.gql(USER, { id: user.id }, { token: freshAdmin })).body.data.user).toMatchObject({ disabled: false, disabledReason: null });
    const search = async (disabled: boolean) =>
      (await server.gql(SEARCH_USERS, { filter: { query: user.username, disabled } }, { token: freshAdmin })).body.data.searchUsers.edges.map((e: any) => e.node.id);
    expect(await search(false)).toEqual([user.id]);
    expect(await search(true)).toEqual([]);

    // The sweep clears the stored ban and says so in the audit trail, with no actor.
    expect(await server.app.services.admin.liftEndedBans()).toBeGreaterThanOrEqual(1);
    const row = await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ disabled: false, disabledReason: null, disabledUntil: null });
    const [lifted] = await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id, type: "USER_ENABLED" } });
    expect(lifted).toMatchObject({ actorId: null, metadata: { reason: "BAN_ENDED" } });
    expect(await search(false)).toEqual([user.id]);
  });

  it("leaves a ban without an end in place, and banning again after an ended ban revokes the new sessions", async () => {
    const admin = await adminToken(server);
    const user = await registerUser(server);
    await server.gql(BAN, { userId: user.id, disabled: true, reason: "Chargeback fraud" }, { token: admin });
    const found = await server.gql(SEARCH_USERS, { filter: { query: user.username, disabled: true } }, { token: admin });
    expect(found.body.data.searchUsers.edges.map((e: any) => e.node.id)).toEqual([user.id]);
    server.clock.advance(3 * MINUTE);
    const refused = await signInCode(user.username, user.password);
    expect(refused).toMatchObject({ reason: "ACCOUNT_DISABLED" });
    expect(refused.disabledUntil).toBeUndefined();

    const other = await registerUser(server);
    await server.gql(BAN, { userId: other.id, disabled: true, until: inMinutes(1) }, { token: admin });
    server.clock.advance(2 * MINUTE);
    const session = await login(server, other.username);
    const rebanned = await server.gql(BAN, { userId: other.id, disabled: true, until: inMinutes(60) }, { token: await adminToken(server) });
    expect(rebanned.body.data.setUserDisabled.disabled).toBe(true);
    expect(await isAccepted(server, session.accessToken)).toBe(false);
  });

  it("refuses an end that is not in the future and a reason that is too long or holds control characters", async () => {
    const admin = await adminToken(server);
    const user = await registerUser(server);
    const past = await server.gql(BAN, { userId: user.id, disabled: true, until: inMinutes(-1) }, { token: admin });
    expect(past.body.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "until" });
    const long = await server.gql(BAN, { userId: user.id, disabled: true, reason: "x".repeat(501) }, { token: admin });
    expect(long.body.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "reason" });
    const control = await server.gql(BAN, { userId: user.id, disabled: true, reason: "hidden\u202Etext" }, { token: admin });
    expect(control.body.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "reason" });
    // Nothing changed.
    expect(await signInCode(user.username, user.password)).toEqual({ code: "OK" });
    const fits = await server.gql(BAN, { userId: user.id, disabled: true, reason: " ".repeat(3) + "y".repeat(500) }, { token: admin });
    expect(fits.body.data.setUserDisabled.disabledReason).toBe("y".repeat(500));
  });

  it("shows the reason and the end to MODERATOR and ADMIN only, and clears them when the account is enabled", async () => {
    const admin = await adminToken(server);
    const user = await registerUser(server);
    const until = inMinutes(120);
    await server.gql(BAN, { userId: user.id, disabled: true, reason: "Harassment", until }, { token: admin });
    const moderator = await signedInAs(server, "MODERATOR");
    expect((await server.gql(USER, { id: user.id }, { token: moderator.token })).body.data.user).toMatchObject({
      disabled: true,
      disabledReason: "Harassment",
      disabledUntil: until,
    });
    // Others cannot read the account at all.
    const plain = await signedInAs(server, "USER");
    expect((await server.gql(USER, { id: user.id }, { token: plain.token })).body.errors![0].extensions?.code).toBe("FORBIDDEN");

    const enabled = await server.gql(BAN, { userId: user.id, disabled: false }, { token: admin });
    expect(enabled.body.data.setUserDisabled).toEqual({ id: user.id, disabled: false, disabledReason: null, disabledUntil: null });
    expect(await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ disabledReason: null, disabledUntil: null });
  });

  // Last: it leaves the bootstrap ADMIN demoted.
  it("counts an ADMIN whose ban ended as active for the last-ADMIN rule, before the sweep", async () => {
    const root = await adminToken(server);
    const other = await signedInAs(server, "ADMIN");
    const rootId = (await server.gql(`query { me { id } }`, {}, { token: root })).body.data.me.id;
    const demoteSelf = `mutation ($id: ID!) { setUserRole(userId: $id, role: USER) { id role } }`;
    await server.gql(BAN, { userId: other.user.id, disabled: true, until: inMinutes(5) }, { token: root });
    expect((await server.gql(demoteSelf, { id: rootId }, { token: root })).body.errors![0].extensions).toMatchObject({ code: "CONFLICT" });

    server.clock.advance(6 * MINUTE);
    const fresh = await adminToken(server);
    expect((await server.gql(demoteSelf, { id: rootId }, { token: fresh })).body.data.setUserRole).toEqual({ id: rootId, role: "USER" });
    expect((await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: other.user.id } })).disabled).toBe(true);
  });
});

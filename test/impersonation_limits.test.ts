import { startTestServer, type GraphQLResponse, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, REFRESH, STRONG_PASSWORD, jwtPayload, login, registerUser, type RegisteredUser } from "./support/accounts";
import { ADMIN_ENV, ADMIN_PASSWORD, ADMIN_USERNAME, AUDIT_LOG, signedInAs } from "./support/admin";
import { CREATE_ENDPOINT } from "./support/webhooks";

// An ADMIN answering "I can't find the setting" signs in as the user to look. The limits keep
// that from becoming a way to take the account over or to act unseen: at most an hour, never
// as an ADMIN, the ADMIN named in every token and every audit event, and nothing that changes
// how the account is reached.

const IMPERSONATE = /* GraphQL */ `
  mutation Impersonate($userId: ID!, $reason: String!) {
    impersonateUser(userId: $userId, reason: $reason) {
      accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt
      session { id createdAt expiresAt current }
      user { id username }
    }
  }
`;
const ME_IMPERSONATED_BY = /* GraphQL */ `query { me { id impersonatedBy { id username } } }`;
const UPDATE_PROFILE = /* GraphQL */ `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id profile { name } } }`;
const LOGOUT = /* GraphQL */ `mutation { logout }`;
const SET_ROLE = /* GraphQL */ `mutation ($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id role } }`;
const SET_DISABLED = /* GraphQL */ `mutation ($userId: ID!) { setUserDisabled(userId: $userId, disabled: true) { id } }`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Impersonation {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
  refreshTokenExpiresAt: string;
  session: { id: string; createdAt: string; expiresAt: string };
}

/** The sensitive mutations, each with variables that would otherwise reach its resolver. */
const SENSITIVE: Array<[string, string, (ctx: { otherSessionId: string }) => Record<string, unknown>]> = [
  ["updateProfile changing the e-mail", `mutation ($e: String) { updateProfile(input: { email: $e }) { id } }`, () => ({ e: "taken-over@example.com" })],
  ["beginTotpEnrollment", `mutation { beginTotpEnrollment { secret } }`, () => ({})],
  ["beginHotpEnrollment", `mutation { beginHotpEnrollment { secret } }`, () => ({})],
  ["confirmTwoFactorEnrollment", `mutation { confirmTwoFactorEnrollment(code: "123456") { codes } }`, () => ({})],
  ["beginPasskeyRegistration", `mutation { beginPasskeyRegistration }`, () => ({})],
  ["finishPasskeyRegistration", `mutation { finishPasskeyRegistration(responseJson: "{}") { id } }`, () => ({})],
  ["removePasskey", `mutation { removePasskey(id: "00000000-0000-7000-8000-000000000000") }`, () => ({})],
  ["linkOAuthAccount", `mutation { linkOAuthAccount(input: { provider: "test", code: "c", state: "s" }) { id } }`, () => ({})],
  ["unlinkOAuthAccount", `mutation { unlinkOAuthAccount(provider: "test") { id } }`, () => ({})],
  ["startOAuthLogin (a link when signed in)", `mutation { startOAuthLogin(provider: "test", redirectUri: "http://localhost/cb") { binding } }`, () => ({})],
  ["setSecretPasskey", `mutation ($s: String!) { setSecretPasskey(secretPasskey: $s) }`, () => ({ s: "a brand new secret passkey 9" })],
  ["changePassword", `mutation ($i: ChangePasswordInput!) { changePassword(input: $i) }`, () => ({ i: { currentPassword: STRONG_PASSWORD, newPassword: "entirely-new-password-31" } })],
  ["deleteAccount", `mutation ($p: String!) { deleteAccount(password: $p) }`, () => ({ p: STRONG_PASSWORD })],
  ["disableTwoFactor", `mutation { disableTwoFactor(code: "123456") }`, () => ({})],
  ["regenerateRecoveryCodes", `mutation { regenerateRecoveryCodes(code: "123456") { codes } }`, () => ({})],
  ["reauthenticate", `mutation ($i: ReauthenticateInput!) { reauthenticate(input: $i) { id } }`, () => ({ i: { password: STRONG_PASSWORD } })],
  ["beginPasskeyReauthentication", `mutation { beginPasskeyReauthentication { challengeToken } }`, () => ({})],
  ["finishPasskeyReauthentication", `mutation { finishPasskeyReauthentication(challengeToken: "t", responseJson: "{}") { id } }`, () => ({})],
  ["logoutAllSessions", `mutation { logoutAllSessions }`, () => ({})],
  ["revokeSession of the user's own sign-in", `mutation ($id: ID!) { revokeSession(id: $id) }`, ({ otherSessionId }) => ({ id: otherSessionId })],
];

describe.each(testDatabases)("impersonation limits on %s", (kind) => {
  let server: TestServer;
  let adminId: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { ...ADMIN_ENV, WEBHOOK_ALLOW_PRIVATE: "true" } });
    adminId = (await login(server, ADMIN_USERNAME, ADMIN_PASSWORD)).user.id;
  });
  afterAll(() => server.stop());

  const prisma = () => server.app.database.prisma;
  /** A fresh sign-in of the bootstrap ADMIN: its proof of identity is recent. */
  const adminToken = async () => (await login(server, ADMIN_USERNAME, ADMIN_PASSWORD)).accessToken;
  const errorOf = (response: GraphQLResponse) => response.body.errors?.[0]?.extensions ?? {};

  async function impersonate(userId: string, token?: string, reason = "Ticket 4711: cannot find the avatar setting"): Promise<GraphQLResponse> {
    return server.gql(IMPERSONATE, { userId, reason }, { token: token ?? (await adminToken()) });
  }

  async function impersonated(user: RegisteredUser): Promise<Impersonation> {
    const response = await impersonate(user.id);
    expect(response.body.errors).toBeUndefined();
    return response.body.data.impersonateUser;
  }

  it("starts a session as the user whose tokens name the ADMIN (act), shown as me.impersonatedBy and audited with the reason", async () => {
    const user = await registerUser(server);
    const own = await login(server, user.username);
    const started = await impersonated(user);

    const claims = jwtPayload(started.accessToken);
    expect(claims).toMatchObject({ sub: user.id, sid: started.session.id, act: { sub: adminId } });
    expect(jwtPayload(own.accessToken).act).toBeUndefined();

    const asUser = await server.gql(ME_IMPERSONATED_BY, {}, { token: started.accessToken });
    expect(asUser.body.data.me).toEqual({ id: user.id, impersonatedBy: { id: adminId, username: ADMIN_USERNAME } });
    // The user's own session and the ADMIN's are not impersonated.
    expect((await server.gql(ME_IMPERSONATED_BY, {}, { token: own.accessToken })).body.data.me.impersonatedBy).toBeNull();
    expect((await server.gql(ME_IMPERSONATED_BY, {}, { token: await adminToken() })).body.data.me.impersonatedBy).toBeNull();

    const row = await prisma().session.findUniqueOrThrow({ where: { id: started.session.id } });
    expect(row.impersonatorId).toBe(adminId);
    const events = await prisma().auditEvent.findMany({ where: { userId: user.id, type: "IMPERSONATION_STARTED" } });
    expect(events).toHaveLength(1);
    expect(events[0].actorId).toBe(adminId);
    expect(events[0].metadata).toMatchObject({ reason: "Ticket 4711: cannot find the avatar setting", sessionId: started.session.id });
  });

  it("audits what the impersonated session does with the ADMIN as actor", async () => {
    const user = await registerUser(server);
    const started = await impersonated(user);
    const updated = await server.gql(UPDATE_PROFILE, { input: { name: "Changed In Support" } }, { token: started.accessToken });
    expect(updated.body.errors).toBeUndefined();

    const own = await login(server, user.username);
    expect((await server.gql(UPDATE_PROFILE, { input: { name: "Changed Myself" } }, { token: own.accessToken })).body.errors).toBeUndefined();

    const log = await server.gql(AUDIT_LOG, { filter: { userId: user.id, type: "PROFILE_UPDATED" }, first: 10 }, { token: await adminToken() });
    const actors = log.body.data.auditLog.edges.map((edge: any) => edge.node.actorId);
    // Newest first: the user's own change, then the ADMIN's.
    expect(actors).toEqual([user.id, adminId]);
  });

  it.each(SENSITIVE)("refuses %s in an impersonated session (FORBIDDEN, IMPERSONATION), changing nothing", async (_name, mutation, variables) => {
    const user = await registerUser(server);
    const own = await login(server, user.username);
    const started = await impersonated(user);
    const before = await prisma().user.findUniqueOrThrow({ where: { id: user.id } });

    const response = await server.gql(mutation, variables({ otherSessionId: own.session.id }), { token: started.accessToken });
    expect(errorOf(response)).toMatchObject({ code: "FORBIDDEN", reason: "IMPERSONATION" });

    expect(await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(before);
    // The user's own sign-in still works.
    expect((await server.gql(ME, {}, { token: own.accessToken })).body.data?.me?.id).toBe(user.id);
  });

  it("ends at most one hour after it started: refreshing never extends it, and neither its tokens nor its refresh survive the hour", async () => {
    const user = await registerUser(server);
    const started = await impersonated(user);
    const start = new Date(started.session.createdAt).getTime();
    const end = start + HOUR;
    expect(new Date(started.session.expiresAt).getTime()).toBe(end);
    expect(new Date(started.refreshTokenExpiresAt).getTime()).toBeLessThanOrEqual(end);

    // Refreshed every 9 minutes (inside the idle timeout), as a busy console tab would.
    let { accessToken, refreshToken } = started;
    for (let minute = 9; minute <= 54; minute += 9) {
      server.clock.advance(9 * MINUTE);
      const refreshed = await server.gql(REFRESH, { token: refreshToken });
      expect(refreshed.body.errors).toBeUndefined();
      const payload = refreshed.body.data.refreshSession;
      ({ accessToken, refreshToken } = payload);
      expect(new Date(payload.refreshTokenExpiresAt).getTime()).toBeLessThanOrEqual(end);
      expect(new Date(payload.accessTokenExpiresAt).getTime()).toBeLessThanOrEqual(end);
      expect(jwtPayload(accessToken).exp * 1000).toBeLessThanOrEqual(end);
      expect(jwtPayload(accessToken).act).toEqual({ sub: adminId });
    }
    // At 54 minutes a 15-minute token would outlive the session: it ends with it instead.
    expect(jwtPayload(accessToken).exp).toBe(Math.floor(end / 1000));
    const row = await prisma().session.findUniqueOrThrow({ where: { id: started.session.id } });
    expect(row.expiresAt.getTime()).toBe(end);

    server.clock.advance(5 * MINUTE); // 59 minutes: still on
    expect((await server.gql(ME, {}, { token: accessToken })).body.data?.me?.id).toBe(user.id);

    server.clock.advance(2 * MINUTE); // 61 minutes: over
    expect(errorOf(await server.gql(ME, {}, { token: accessToken })).code).toBe("UNAUTHENTICATED");
    expect(errorOf(await server.gql(REFRESH, { token: refreshToken })).code).toBe("UNAUTHENTICATED");
  });

  it("ends with logout, which records IMPERSONATION_ENDED and leaves the user's own sessions alone", async () => {
    const user = await registerUser(server);
    const own = await login(server, user.username);
    const started = await impersonated(user);

    expect((await server.gql(LOGOUT, {}, { token: started.accessToken })).body.data.logout).toBe(true);
    expect(errorOf(await server.gql(ME, {}, { token: started.accessToken })).code).toBe("UNAUTHENTICATED");
    expect(errorOf(await server.gql(REFRESH, { token: started.refreshToken })).code).toBe("UNAUTHENTICATED");
    expect((await server.gql(ME, {}, { token: own.accessToken })).body.data?.me?.id).toBe(user.id);

    const ended = await prisma().auditEvent.findMany({ where: { userId: user.id, type: { in: ["LOGOUT", "IMPERSONATION_ENDED"] } } });
    expect(ended.map((event) => [event.type, event.actorId]).sort()).toEqual([
      ["IMPERSONATION_ENDED", adminId],
      ["LOGOUT", adminId],
    ]);
  });

  it("never impersonates an ADMIN, a disabled or deleted account, nor for a blank or overlong reason; nothing is started", async () => {
    const { user: otherAdmin } = await signedInAs(server, "ADMIN");
    const disabled = await registerUser(server);
    await server.gql(SET_DISABLED, { userId: disabled.id }, { token: await adminToken() });
    const deleted = await registerUser(server);
    await prisma().user.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    const user = await registerUser(server);

    expect(errorOf(await impersonate(otherAdmin.id))).toMatchObject({ code: "FORBIDDEN", reason: "ADMIN_TARGET" });
    expect(errorOf(await impersonate(adminId))).toMatchObject({ code: "FORBIDDEN", reason: "ADMIN_TARGET" });
    expect(errorOf(await impersonate(disabled.id)).code).toBe("CONFLICT");
    expect(errorOf(await impersonate(deleted.id)).code).toBe("NOT_FOUND");
    expect(errorOf(await impersonate("00000000-0000-7000-8000-000000000000")).code).toBe("NOT_FOUND");
    expect(errorOf(await impersonate(user.id, undefined, "   "))).toMatchObject({ code: "BAD_USER_INPUT", field: "reason" });
    expect(errorOf(await impersonate(user.id, undefined, "x".repeat(501)))).toMatchObject({ code: "BAD_USER_INPUT", field: "reason" });

    const started = await prisma().session.count({ where: { impersonatorId: { not: null }, userId: { in: [otherAdmin.id, adminId, disabled.id, deleted.id, user.id] } } });
    expect(started).toBe(0);
  });

  it("stops the session when its account becomes an ADMIN", async () => {
    const user = await registerUser(server);
    const started = await impersonated(user);
    expect((await server.gql(ME, {}, { token: started.accessToken })).body.data?.me?.id).toBe(user.id);
    expect((await server.gql(SET_ROLE, { userId: user.id, role: "ADMIN" }, { token: await adminToken() })).body.errors).toBeUndefined();
    expect(errorOf(await server.gql(ME, {}, { token: started.accessToken })).code).toBe("UNAUTHENTICATED");
    expect(errorOf(await server.gql(REFRESH, { token: started.refreshToken })).code).toBe("UNAUTHENTICATED");
  });

  it.each(["demoted", "disabled"] as const)("stops the session at once when its ADMIN is %s", async (change) => {
    const { user: otherAdmin, token: otherAdminToken } = await signedInAs(server, "ADMIN");
    const user = await registerUser(server);
    const response = await impersonate(user.id, otherAdminToken);
    expect(response.body.errors).toBeUndefined();
    const { accessToken, refreshToken } = response.body.data.impersonateUser;
    expect((await server.gql(ME, {}, { token: accessToken })).body.data?.me?.id).toBe(user.id);

    const root = await adminToken();
    const changed =
      change === "demoted"
        ? await server.gql(SET_ROLE, { userId: otherAdmin.id, role: "USER" }, { token: root })
        : await server.gql(SET_DISABLED, { userId: otherAdmin.id }, { token: root });
    expect(changed.body.errors).toBeUndefined();
    expect(errorOf(await server.gql(ME, {}, { token: accessToken })).code).toBe("UNAUTHENTICATED");
    expect(errorOf(await server.gql(REFRESH, { token: refreshToken })).code).toBe("UNAUTHENTICATED");
  });

  it("is ADMIN only, and never from an impersonated session", async () => {
    const target = await registerUser(server);
    for (const role of ["USER", "MODERATOR"] as const) {
      const { token } = await signedInAs(server, role);
      expect(errorOf(await impersonate(target.id, token)).code).toBe("FORBIDDEN");
    }
    expect(errorOf(await server.gql(IMPERSONATE, { userId: target.id, reason: "r" })).code).toBe("UNAUTHENTICATED");
    const moderator = await signedInAs(server, "MODERATOR");
    const asModerator = await impersonated(moderator.user);
    expect(errorOf(await impersonate(target.id, asModerator.accessToken)).code).toBe("FORBIDDEN");
    expect(await prisma().session.count({ where: { userId: target.id } })).toBe(0);
  });

  it("needs a recent authentication (REAUTHENTICATION_REQUIRED after REAUTH_MAX_AGE)", async () => {
    const user = await registerUser(server);
    const token = await adminToken();
    // Used 4.5 minutes ago (inside the idle timeout), signed in 10.5 minutes ago.
    server.clock.advance(6 * MINUTE);
    expect((await server.gql(ME, {}, { token })).body.data?.me?.id).toBe(adminId);
    server.clock.advance(4.5 * MINUTE);
    expect(errorOf(await impersonate(user.id, token))).toMatchObject({ code: "FORBIDDEN", reason: "REAUTHENTICATION_REQUIRED" });
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("names the ADMIN as actor in the webhook events of what the session does", async () => {
    const endpoint = await server.gql(CREATE_ENDPOINT, { url: "http://127.0.0.1:9/hook", events: ["session.revoked"] }, { token: await adminToken() });
    expect(endpoint.body.errors).toBeUndefined();
    const user = await registerUser(server);
    const started = await impersonated(user);
    const revoked = await server.gql(`mutation ($id: ID!) { revokeSession(id: $id) }`, { id: started.session.id }, { token: started.accessToken });
    expect(revoked.body.data.revokeSession).toBe(true);

    const deliveries = await prisma().webhookDelivery.findMany({ where: { eventType: "session.revoked" } });
    const events = deliveries.map((delivery) => JSON.parse(delivery.payload)).filter((event) => event.data.sessionId === started.session.id);
    expect(events.map((event) => event.data)).toEqual([expect.objectContaining({ userId: user.id, actorId: adminId, reason: "REVOKED_BY_ADMIN" })]);
  });
});

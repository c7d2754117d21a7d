import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerSignedInUser } from "./support/accounts";
import { ADMIN_ENV, ADMIN_PASSWORD, ADMIN_USERNAME } from "./support/admin";
import { createPat, outcome } from "./support/personal-access-tokens";

// A leaked token must not take over an account: whatever its scopes, every sensitive or
// role-gated mutation and the token management answer FORBIDDEN, and nothing changes.
describe.each(testDatabases)("personal access tokens refused for sensitive mutations on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ADMIN_ENV });
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it("refuses every sensitive mutation to an ADMIN's token holding every scope, and changes nothing", async () => {
    const admin = await login(server, ADMIN_USERNAME, ADMIN_PASSWORD);
    const victim = await registerSignedInUser(server);
    const { secret, token } = await createPat(server, admin.accessToken, ["read:profile", "write:profile", "admin:read"]);
    expect(outcome((await server.gql(`query { me { id } }`, {}, { token: secret })).body)).toBe("OK");

    const attempts: Array<[string, Record<string, unknown>]> = [
      [`mutation ($input: ChangePasswordInput!) { changePassword(input: $input) }`, { input: { currentPassword: ADMIN_PASSWORD, newPassword: "brand-new-password-for-root-9" } }],
      [`mutation { logoutAllSessions }`, {}],
      [`mutation { logout }`, {}],
      [`mutation ($id: ID!) { revokeSession(id: $id) }`, { id: admin.session.id }],
      [`mutation ($password: String!) { deleteAccount(password: $password) }`, { password: ADMIN_PASSWORD }],
      [`mutation ($input: ReauthenticateInput!) { reauthenticate(input: $input) { id } }`, { input: { password: ADMIN_PASSWORD } }],
      [`mutation { beginTotpEnrollment { otpauthUrl } }`, {}],
      [`mutation ($userId: ID!) { setUserRole(userId: $userId, role: ADMIN) { id } }`, { userId: victim.id }],
      [`mutation ($userId: ID!) { setUserDisabled(userId: $userId, disabled: true) { id } }`, { userId: victim.id }],
      [`mutation ($userId: ID!) { impersonateUser(userId: $userId, reason: "support ticket 1") { accessToken } }`, { userId: victim.id }],
      [`mutation { createPersonalAccessToken(name: "more", scopes: ["admin:read"]) { secret } }`, {}],
      [`mutation ($id: ID!) { revokePersonalAccessToken(id: $id) { id } }`, { id: token.id }],
      [`query { personalAccessTokens { id } }`, {}],
      [`mutation { createWebhookEndpoint(url: "http://127.0.0.1:9/x", events: ["user.created"]) { secret } }`, {}],
    ];
    for (const [query, variables] of attempts) {
      const { body } = await server.gql(query, variables, { token: secret });
      expect([query, outcome(body)]).toEqual([query, expect.stringMatching(/^FORBIDDEN\/(TOKEN_SCOPE|PERSONAL_ACCESS_TOKEN)$/)]);
    }

    // write:profile opens updateProfile, but not the e-mail change in it (a sensitive change).
    const emailChange = await server.gql(`mutation { updateProfile(input: { email: "attacker@example.com" }) { email } }`, {}, { token: secret });
    expect(outcome(emailChange.body)).toBe("FORBIDDEN/PERSONAL_ACCESS_TOKEN");

    const prisma = server.app.database.prisma;
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: victim.id } });
    expect([stored.role, stored.disabled]).toEqual(["USER", false]);
    const root = await prisma.user.findUniqueOrThrow({ where: { usernameNormalized: ADMIN_USERNAME } });
    expect([root.email, root.pendingEmail, root.deletedAt]).toEqual(["root@example.com", null, null]);
    expect(await prisma.twoFactor.count({ where: { userId: root.id } })).toBe(0);
    expect(await prisma.personalAccessToken.count({ where: { userId: root.id } })).toBe(1);
    expect(await prisma.personalAccessToken.count({ where: { userId: root.id, revokedAt: { not: null } } })).toBe(0);
    // The password is unchanged and the ADMIN's session still works.
    expect((await login(server, ADMIN_USERNAME, ADMIN_PASSWORD)).accessToken).toBeTruthy();
    expect(outcome((await server.gql(`query { me { id } }`, {}, { token: admin.accessToken })).body)).toBe("OK");
  });
});

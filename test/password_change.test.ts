import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, isAccepted, login, registerUser } from "./support/accounts";

const CHANGE = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`;

describe.each(testDatabases)("changePassword on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  const change = (token: string, currentPassword: string, newPassword: string) =>
    server.gql(CHANGE, { input: { currentPassword, newPassword } }, { token });

  it("signs out every other session, keeps the current one, and retires the old password", async () => {
    const user = await registerUser(server);
    const current = await login(server, user.username);
    const other = await login(server, user.username);
    const { body } = await change(current.accessToken, user.password, "a-brand-new-passphrase-1");
    expect(body).toEqual({ data: { changePassword: true } });
    expect(await isAccepted(server, other.accessToken)).toBe(false);
    expect(await isAccepted(server, current.accessToken)).toBe(true);
    const old = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password } });
    expect(old.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await login(server, user.username, "a-brand-new-passphrase-1")).user.id).toBe(user.id);
  });

  it("refuses any of the last 5 passwords, and allows the one before them", async () => {
    const user = await registerUser(server, { password: "history-password-0" });
    const { accessToken } = await login(server, user.username, "history-password-0");
    for (let i = 1; i <= 5; i++) {
      const { body } = await change(accessToken, `history-password-${i - 1}`, `history-password-${i}`);
      expect(body.errors).toBeUndefined();
    }
    // Current is 5; the last five are 1..5.
    for (const reused of [5, 4, 1]) {
      const { body } = await change(accessToken, "history-password-5", `history-password-${reused}`);
      expect(body.errors?.[0].extensions).toEqual({ code: "PASSWORD_POLICY", reasons: ["REUSED"] });
    }
    const oldest = await change(accessToken, "history-password-5", "history-password-0");
    expect(oldest.body).toEqual({ data: { changePassword: true } });
    const rows = await server.app.database.prisma.credential.findMany({ where: { userId: user.id, kind: "PASSWORD" } });
    expect(rows.filter((r) => r.isCurrent)).toHaveLength(1);
    expect(rows).toHaveLength(7);
  });

  it("requires the right current password", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const { body } = await change(session.accessToken, "not-my-password-at-all", "another-new-passphrase");
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "currentPassword" });
    expect((await login(server, user.username)).user.id).toBe(user.id);
  });

  it("applies the password policy to the new password", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const { body } = await change(session.accessToken, user.password, "short");
    expect(body.errors?.[0].extensions).toEqual({ code: "PASSWORD_POLICY", reasons: ["TOO_SHORT"] });
  });

  it("leaves exactly one current password when two changes race", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    await Promise.all([
      change(session.accessToken, user.password, "racing-password-one"),
      change(session.accessToken, user.password, "racing-password-two"),
    ]);
    const current = await server.app.database.prisma.credential.count({ where: { userId: user.id, kind: "PASSWORD", isCurrent: true } });
    expect(current).toBe(1);
  });

  it("records PASSWORD_CHANGED without the passwords", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    await change(session.accessToken, user.password, "audited-new-passphrase");
    const events = await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id, type: "PASSWORD_CHANGED" } });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain("audited-new-passphrase");
  });
});

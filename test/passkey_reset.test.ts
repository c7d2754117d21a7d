import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, ME, SECRET_PASSKEY, login, registerUser, uniqueName } from "./support/accounts";
import { NEW_PASSWORD, PASSKEY_RESET } from "./support/recovery";

describe.each(testDatabases)("password reset with the secret passkey on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("sets the new password with the right passkey and ends every session", async () => {
    const user = await registerUser(server);
    const session = await login(server, user.username);
    const { body } = await server.gql(PASSKEY_RESET, {
      input: { username: user.username.toUpperCase(), secretPasskey: SECRET_PASSKEY, newPassword: NEW_PASSWORD },
    });
    expect(body).toEqual({ data: { resetPasswordWithPasskey: true } });

    const me = await server.gql(ME, {}, { token: session.accessToken });
    expect(me.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const old = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password } });
    expect(old.body.errors?.[0].message).toBe("Invalid credentials");
    expect((await login(server, user.username, NEW_PASSWORD)).user.id).toBe(user.id);

    const audit = await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id, type: "PASSWORD_RESET" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].metadata).toMatchObject({ method: "SECRET_PASSKEY" });
  });

  it("gives login's generic error for a wrong passkey, an unknown user and a deleted account", async () => {
    const user = await registerUser(server);
    const deleted = await registerUser(server);
    await server.app.database.prisma.user.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    const attempts = [
      { username: user.username, secretPasskey: "not the right passkey at all" },
      { username: uniqueName("ghost"), secretPasskey: SECRET_PASSKEY },
      { username: deleted.username, secretPasskey: SECRET_PASSKEY },
    ];
    for (const attempt of attempts) {
      const { body } = await server.gql(PASSKEY_RESET, { input: { ...attempt, newPassword: NEW_PASSWORD } });
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
      expect(Object.keys(body.errors![0].extensions!)).toEqual(["code"]);
    }
    // Nothing changed for the real account.
    await login(server, user.username, user.password);
  });

  it("does not accept the password in place of the passkey", async () => {
    const user = await registerUser(server);
    const { body } = await server.gql(PASSKEY_RESET, {
      input: { username: user.username, secretPasskey: user.password, newPassword: NEW_PASSWORD },
    });
    expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("applies the password policy and history to the new password", async () => {
    const user = await registerUser(server);
    const reused = await server.gql(PASSKEY_RESET, {
      input: { username: user.username, secretPasskey: SECRET_PASSKEY, newPassword: user.password },
    });
    expect(reused.body.errors?.[0].extensions).toMatchObject({ code: "PASSWORD_POLICY", reasons: ["REUSED"] });
    // The username in other letters: the rule ignores case, and the log scan (which treats every
    // password sent as a secret) cannot mistake the mail sender's recipient line for a leak.
    const sameAsName = await server.gql(PASSKEY_RESET, {
      input: { username: user.username, secretPasskey: SECRET_PASSKEY, newPassword: user.username.toUpperCase() },
    });
    expect(sameAsName.body.errors?.[0].extensions).toMatchObject({ code: "PASSWORD_POLICY", reasons: ["MATCHES_USERNAME"] });
    await login(server, user.username, user.password);
  });

  it("tells a disabled account only to a caller who holds its passkey", async () => {
    const user = await registerUser(server);
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { disabled: true } });
    const wrong = await server.gql(PASSKEY_RESET, {
      input: { username: user.username, secretPasskey: "not the right passkey at all", newPassword: NEW_PASSWORD },
    });
    expect(wrong.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const right = await server.gql(PASSKEY_RESET, {
      input: { username: user.username, secretPasskey: SECRET_PASSKEY, newPassword: NEW_PASSWORD },
    });
    expect(right.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "ACCOUNT_DISABLED" });
  });
});

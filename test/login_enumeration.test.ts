import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, registerUser } from "./support/accounts";

// A failed sign-in must not tell an attacker whether the account exists.
describe.each(testDatabases)("login enumeration on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  const attempt = async (identifier: string, password: string) => {
    const { status, body } = await server.gql(LOGIN, { input: { identifier, password } });
    return { status, body };
  };

  it("answers an unknown user exactly as a wrong password", async () => {
    const user = await registerUser(server);
    const wrongPassword = await attempt(user.username, "not-the-right-password");
    const unknownUser = await attempt("nobody_here_at_all", "not-the-right-password");
    const unknownEmail = await attempt("nobody@example.com", "not-the-right-password");
    expect(wrongPassword.body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
    expect(unknownUser).toEqual(wrongPassword);
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it("answers a deleted account like an unknown one, even with its right password", async () => {
    const user = await registerUser(server);
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { deletedAt: new Date() } });
    const result = await attempt(user.username, user.password);
    expect(result.body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
  });

  it("tells only a caller with the right password that the account is disabled", async () => {
    const user = await registerUser(server);
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { disabled: true } });
    const right = await attempt(user.username, user.password);
    expect(right.body.errors?.[0].extensions).toEqual({ code: "FORBIDDEN", reason: "ACCOUNT_DISABLED" });
    const wrong = await attempt(user.username, "not-the-right-password");
    expect(wrong.body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
  });

  it("spends a password-hash compare on unknown users too", async () => {
    const credentials = server.app.services.credentials;
    const spy = jest.spyOn(credentials, "dummyVerify");
    await attempt("nobody_else_here", "some-password-guess");
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it("records failed and successful sign-ins in the audit trail without the password", async () => {
    const user = await registerUser(server);
    await attempt(user.username, "not-the-right-password-xyz");
    await attempt(user.username, user.password);
    const events = await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["REGISTERED", "LOGIN_FAILED", "LOGIN_SUCCEEDED"]);
    expect(JSON.stringify(events)).not.toContain("not-the-right-password-xyz");
    expect(JSON.stringify(events)).not.toContain(user.password);
  });
});

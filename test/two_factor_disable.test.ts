import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser } from "./support/accounts";
import { hotpFor } from "./support/otp";
import { BEGIN_HOTP, DISABLE, LOGIN_WITH_CHALLENGE, TWO_FACTOR_ENABLED, nextTotpCode, passwordStep, userWithTwoFactor, verify } from "./support/two-factor";

describe.each(testDatabases)("turning two-factor authentication off on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("needs a valid current code; then login gives tokens again and the secret and codes are gone", async () => {
    const user = await userWithTwoFactor(server);
    const code = nextTotpCode(server, user.secret);
    const wrong = await server.gql(DISABLE, { code: code === "000000" ? "111111" : "000000" }, { token: user.accessToken });
    expect(wrong.body.errors?.[0].extensions).toEqual({ code: "BAD_USER_INPUT", field: "code" });
    expect((await server.gql(TWO_FACTOR_ENABLED, {}, { token: user.accessToken })).body.data.me.twoFactorEnabled).toBe(true);

    const { body } = await server.gql(DISABLE, { code }, { token: user.accessToken });
    expect(body).toEqual({ data: { disableTwoFactor: true } });
    expect((await server.gql(TWO_FACTOR_ENABLED, {}, { token: user.accessToken })).body.data.me.twoFactorEnabled).toBe(false);
    const signIn = await server.gql(LOGIN_WITH_CHALLENGE, { input: { identifier: user.username, password: user.password } });
    expect(signIn.body.data.login.__typename).toBe("AuthPayload");

    const prisma = server.app.database.prisma;
    expect(await prisma.twoFactor.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    const events = await prisma.auditEvent.findMany({ where: { userId: user.id, type: "TWO_FACTOR_DISABLED" } });
    expect(events.map((event) => event.metadata)).toEqual([{ method: "TOTP", provedWith: "TOTP" }]);
  });

  it("accepts a recovery code (lost authenticator) and voids open login challenges", async () => {
    const user = await userWithTwoFactor(server);
    const open = await passwordStep(server, user.username);
    const { body } = await server.gql(DISABLE, { code: user.recoveryCodes[0] }, { token: user.accessToken });
    expect(body).toEqual({ data: { disableTwoFactor: true } });
    const late = await verify(server, open.challengeToken, user.recoveryCodes[1]);
    expect(late.body.errors?.[0].message).toMatch(/challenge/);
  });

  it("lets the user enroll again afterwards, with a new secret", async () => {
    const user = await userWithTwoFactor(server);
    await server.gql(DISABLE, { code: nextTotpCode(server, user.secret) }, { token: user.accessToken });
    const begun = await server.gql(BEGIN_HOTP, {}, { token: user.accessToken });
    const secret = begun.body.data.beginHotpEnrollment.secret;
    expect(secret).not.toBe(user.secret);
    const confirmed = await server.gql(`mutation($code: String!) { confirmTwoFactorEnrollment(code: $code) { codes } }`, { code: hotpFor(secret, 0) }, { token: user.accessToken });
    expect(confirmed.body.errors).toBeUndefined();
    expect((await passwordStep(server, user.username)).methods).toEqual(["HOTP", "RECOVERY_CODE"]);
  });

  it("refuses when two-factor authentication is off, and without a signed-in caller", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    expect((await server.gql(DISABLE, { code: "123456" }, { token: accessToken })).body.errors?.[0].extensions?.code).toBe("CONFLICT");
    expect((await server.gql(DISABLE, { code: "123456" })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});

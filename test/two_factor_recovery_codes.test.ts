import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser } from "./support/accounts";
import { nextTotpCode, passwordStep, REGENERATE, userWithTwoFactor, verify } from "./support/two-factor";

describe.each(testDatabases)("two-factor recovery codes on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("signs in with a recovery code once; the same code is refused afterwards", async () => {
    const user = await userWithTwoFactor(server);
    const [code] = user.recoveryCodes;
    const first = await passwordStep(server, user.username);
    const used = await verify(server, first.challengeToken, code);
    expect(used.body.errors).toBeUndefined();
    expect(used.body.data.verifyTwoFactorLogin.user.id).toBe(user.id);

    const second = await passwordStep(server, user.username);
    const again = await verify(server, second.challengeToken, code);
    expect(again.body.errors?.[0]).toMatchObject({ message: "Invalid two-factor code", extensions: { code: "UNAUTHENTICATED" } });

    const prisma = server.app.database.prisma;
    expect(await prisma.recoveryCode.count({ where: { userId: user.id, usedAt: { not: null } } })).toBe(1);
    const events = await prisma.auditEvent.findMany({ where: { userId: user.id, type: "TWO_FACTOR_RECOVERY_CODE_USED" } });
    expect(events.map((event) => event.metadata)).toEqual([{ purpose: "LOGIN" }]);
    const signedIn = await prisma.auditEvent.findFirstOrThrow({ where: { userId: user.id, type: "LOGIN_SUCCEEDED" }, orderBy: { createdAt: "desc" } });
    expect(signedIn.metadata).toMatchObject({ twoFactorMethod: "RECOVERY_CODE" });
    expect(JSON.stringify(events)).not.toContain(code);
  });

  it("accepts a code typed in capitals, without the hyphen or with spaces", async () => {
    const user = await userWithTwoFactor(server);
    const variants = [user.recoveryCodes[1].toUpperCase(), user.recoveryCodes[2].replace("-", ""), ` ${user.recoveryCodes[3].replace("-", " ")} `];
    for (const variant of variants) {
      const challenge = await passwordStep(server, user.username);
      expect((await verify(server, challenge.challengeToken, variant)).body.errors).toBeUndefined();
    }
  });

  it("refuses another user's recovery code", async () => {
    const alice = await userWithTwoFactor(server);
    const bob = await userWithTwoFactor(server);
    const challenge = await passwordStep(server, alice.username);
    expect((await verify(server, challenge.challengeToken, bob.recoveryCodes[0])).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("gives one success when one recovery code is sent on two challenges at the same moment", async () => {
    const user = await userWithTwoFactor(server);
    const [a, b] = [await passwordStep(server, user.username), await passwordStep(server, user.username)];
    const code = user.recoveryCodes[4];
    const results = await Promise.all([verify(server, a.challengeToken, code), verify(server, b.challengeToken, code)]);
    expect(results.filter((result) => !result.body.errors)).toHaveLength(1);
  });

  it("regenerates with a current code: ten new codes work, every old one is gone", async () => {
    const user = await userWithTwoFactor(server);
    const { body } = await server.gql(REGENERATE, { code: nextTotpCode(server, user.secret) }, { token: user.accessToken });
    expect(body.errors).toBeUndefined();
    const fresh: string[] = body.data.regenerateRecoveryCodes.codes;
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => user.recoveryCodes.includes(code))).toEqual([]);

    const old = await passwordStep(server, user.username);
    expect((await verify(server, old.challengeToken, user.recoveryCodes[0])).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await verify(server, old.challengeToken, fresh[0])).body.errors).toBeUndefined();

    const prisma = server.app.database.prisma;
    expect(await prisma.recoveryCode.count({ where: { userId: user.id } })).toBe(10);
    expect(await prisma.auditEvent.count({ where: { userId: user.id, type: "RECOVERY_CODES_REGENERATED" } })).toBe(1);
  });

  it("regenerates with a recovery code, which is spent with the rest", async () => {
    const user = await userWithTwoFactor(server);
    const { body } = await server.gql(REGENERATE, { code: user.recoveryCodes[5] }, { token: user.accessToken });
    expect(body.data.regenerateRecoveryCodes.codes).toHaveLength(10);
    const again = await server.gql(REGENERATE, { code: user.recoveryCodes[5] }, { token: user.accessToken });
    expect(again.body.errors?.[0].extensions).toEqual({ code: "BAD_USER_INPUT", field: "code" });
  });

  it("refuses to regenerate without a valid current code, a spent one, or two-factor off", async () => {
    const user = await userWithTwoFactor(server);
    const code = nextTotpCode(server, user.secret);
    const wrong = await server.gql(REGENERATE, { code: code === "000000" ? "111111" : "000000" }, { token: user.accessToken });
    expect(wrong.body.errors?.[0].extensions).toEqual({ code: "BAD_USER_INPUT", field: "code" });
    expect((await server.gql(REGENERATE, { code }, { token: user.accessToken })).body.errors).toBeUndefined();
    const replay = await server.gql(REGENERATE, { code }, { token: user.accessToken });
    expect(replay.body.errors?.[0].extensions).toEqual({ code: "BAD_USER_INPUT", field: "code" });
    expect((await server.gql(REGENERATE, { code })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");

    const plain = await registerUser(server);
    const { accessToken } = await login(server, plain.username);
    const off = await server.gql(REGENERATE, { code: "123456" }, { token: accessToken });
    expect(off.body.errors?.[0].extensions?.code).toBe("CONFLICT");
  });
});

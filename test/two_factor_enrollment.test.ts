import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser } from "./support/accounts";
import { base32Decode, totpFor } from "./support/otp";
import { BEGIN_HOTP, BEGIN_TOTP, CONFIRM, LOGIN_WITH_CHALLENGE, TWO_FACTOR_ENABLED, nextTotpCode, nextTotpStep, userWithTwoFactor } from "./support/two-factor";
import { SecretBox } from "../src/common/secret-box";
import { ConfigError, loadConfig } from "../src/config";

const APP_SECRET = "test-secret-test-secret-test-secret-0123456789";

describe.each(testDatabases)("two-factor enrollment on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { TWO_FACTOR_ISSUER: "Acme Identity" } });
  });
  afterAll(() => server.stop());

  async function signedIn() {
    const user = await registerUser(server);
    return { user, token: (await login(server, user.username)).accessToken };
  }

  it("returns a base32 secret, an otpauth URL with issuer and account, and a PNG QR code", async () => {
    const { user, token } = await signedIn();
    const { body } = await server.gql(BEGIN_TOTP, {}, { token });
    expect(body.errors).toBeUndefined();
    const { secret, otpauthUrl, qrCodeDataUrl } = body.data.beginTotpEnrollment;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);

    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe("otpauth:");
    expect(url.host).toBe("totp");
    expect(decodeURIComponent(url.pathname)).toBe(`/Acme Identity:${user.username}`);
    expect(url.searchParams.get("secret")).toBe(secret);
    expect(url.searchParams.get("issuer")).toBe("Acme Identity");
    for (const [name, value] of [["algorithm", "SHA1"], ["digits", "6"], ["period", "30"]]) {
      const given = url.searchParams.get(name);
      if (given !== null) expect(given).toBe(value);
    }

    expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(qrCodeDataUrl.slice("data:image/png;base64,".length), "base64");
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it("activates nothing until a valid code is confirmed: login still gives tokens", async () => {
    const { user, token } = await signedIn();
    await server.gql(BEGIN_TOTP, {}, { token });
    expect((await server.gql(TWO_FACTOR_ENABLED, {}, { token })).body.data.me.twoFactorEnabled).toBe(false);
    const { body } = await server.gql(LOGIN_WITH_CHALLENGE, { input: { identifier: user.username, password: user.password } });
    expect(body.data.login.__typename).toBe("AuthPayload");
  });

  it("accepts a code computed by an independent RFC 6238 implementation and returns 10 single-use recovery codes", async () => {
    const { user, token } = await signedIn();
    const { secret } = (await server.gql(BEGIN_TOTP, {}, { token })).body.data.beginTotpEnrollment;
    const { body } = await server.gql(CONFIRM, { code: nextTotpCode(server, secret) }, { token });
    expect(body.errors).toBeUndefined();
    const codes: string[] = body.data.confirmTwoFactorEnrollment.codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);

    expect((await server.gql(TWO_FACTOR_ENABLED, {}, { token })).body.data.me.twoFactorEnabled).toBe(true);
    const prisma = server.app.database.prisma;
    const stored = await prisma.recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(10);
    for (const row of stored) for (const code of codes) {
      expect(row.codeHash).not.toContain(code);
      expect(row.codeHash).not.toContain(code.replace("-", ""));
    }
    const audit = await prisma.auditEvent.findMany({ where: { userId: user.id, type: "TWO_FACTOR_ENABLED" } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0].metadata)).not.toContain(secret);
  });

  it("keeps the secret encrypted at rest under APP_SECRET", async () => {
    const enrolled = await userWithTwoFactor(server);
    const row = await server.app.database.prisma.twoFactor.findUniqueOrThrow({ where: { userId: enrolled.id } });
    expect(row.secretEncrypted).not.toContain(enrolled.secret);
    expect(row.secretEncrypted).toMatch(/^v1\./);
    expect(new SecretBox(APP_SECRET, "two-factor-secrets").open(row.secretEncrypted)).toBe(enrolled.secret);
    expect(() => new SecretBox("another-secret-another-secret-0123456789", "two-factor-secrets").open(row.secretEncrypted)).toThrow();
  });

  it("refuses a wrong code and a code from another secret, as BAD_USER_INPUT on `code`", async () => {
    const { token } = await signedIn();
    const { secret } = (await server.gql(BEGIN_TOTP, {}, { token })).body.data.beginTotpEnrollment;
    const now = nextTotpStep(server);
    const right = totpFor(secret, now);
    for (const code of [right === "000000" ? "111111" : "000000", totpFor("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", now), "abc", ""]) {
      const { body } = await server.gql(CONFIRM, { code }, { token });
      expect(body.errors?.[0].extensions).toEqual({ code: "BAD_USER_INPUT", field: "code" });
    }
    expect((await server.gql(TWO_FACTOR_ENABLED, {}, { token })).body.data.me.twoFactorEnabled).toBe(false);
  });

  it("replaces an unconfirmed enrollment when begun again: the first secret's codes no longer confirm", async () => {
    const { token } = await signedIn();
    const first = (await server.gql(BEGIN_TOTP, {}, { token })).body.data.beginTotpEnrollment.secret;
    const second = (await server.gql(BEGIN_TOTP, {}, { token })).body.data.beginTotpEnrollment.secret;
    expect(second).not.toBe(first);
    const now = nextTotpStep(server);
    const stale = await server.gql(CONFIRM, { code: totpFor(first, now) }, { token });
    expect(stale.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const fresh = await server.gql(CONFIRM, { code: totpFor(second, now) }, { token });
    expect(fresh.body.errors).toBeUndefined();
  });

  it("never hands out the secret again once on: enrolling again is refused until it is turned off", async () => {
    const enrolled = await userWithTwoFactor(server);
    for (const operation of [BEGIN_TOTP, BEGIN_HOTP]) {
      const { body } = await server.gql(operation, {}, { token: enrolled.accessToken });
      expect(body.errors?.[0].extensions?.code).toBe("CONFLICT");
      expect(JSON.stringify(body)).not.toContain(enrolled.secret);
    }
    const again = await server.gql(CONFIRM, { code: nextTotpCode(server, enrolled.secret) }, { token: enrolled.accessToken });
    expect(again.body.errors?.[0].extensions?.code).toBe("CONFLICT");
  });

  it("refuses confirmation without an enrollment in progress, and every operation without a signed-in caller", async () => {
    const { token } = await signedIn();
    const none = await server.gql(CONFIRM, { code: "123456" }, { token });
    expect(none.body.errors?.[0].extensions?.code).toBe("CONFLICT");
    for (const operation of [BEGIN_TOTP, BEGIN_HOTP]) {
      expect((await server.gql(operation)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
    expect((await server.gql(CONFIRM, { code: "123456" })).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("TWO_FACTOR_ISSUER", () => {
  it("defaults to Latchkey and refuses a name with a colon, which would split the otpauth label", () => {
    const base = { APP_SECRET, NODE_ENV: "test", DATA_DIR: "/tmp/latchkey-config-test" };
    expect(loadConfig(base).twoFactorIssuer).toBe("Latchkey");
    expect(loadConfig({ ...base, TWO_FACTOR_ISSUER: "Acme" }).twoFactorIssuer).toBe("Acme");
    expect(() => loadConfig({ ...base, TWO_FACTOR_ISSUER: "Acme:Evil" })).toThrow(ConfigError);
  });
});

import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser } from "./support/accounts";
import { hotpFor } from "./support/otp";
import { BEGIN_HOTP, CONFIRM, passwordStep, userWithTwoFactor, verify } from "./support/two-factor";

describe.each(testDatabases)("HOTP counters on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    // These suites spend many wrong codes on purpose (challenge limits, counters); wrong codes
    // also count toward the account lockout (two_factor_code_guessing.test.ts covers that).
    server = await startTestServer(kind, { env: { LOGIN_LOCKOUT_THRESHOLD: "1000" } });
  });
  afterAll(() => server.stop());

  async function signIn(username: string, code: string) {
    const challenge = await passwordStep(server, username);
    expect(challenge.methods).toEqual(["HOTP", "RECOVERY_CODE"]);
    return verify(server, challenge.challengeToken, code);
  }

  const storedCounter = async (userId: string) =>
    (await server.app.database.prisma.twoFactor.findUniqueOrThrow({ where: { userId } })).counter;

  it("enrolls with an otpauth://hotp URL starting at counter 0, confirmed by the RFC 4226 code for 0", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const { secret, otpauthUrl } = (await server.gql(BEGIN_HOTP, {}, { token: accessToken })).body.data.beginHotpEnrollment;
    const url = new URL(otpauthUrl);
    expect(url.host).toBe("hotp");
    expect(url.searchParams.get("counter")).toBe("0");
    expect(url.searchParams.get("secret")).toBe(secret);
    expect(decodeURIComponent(url.pathname)).toBe(`/Latchkey:${user.username}`);
    const { body } = await server.gql(CONFIRM, { code: hotpFor(secret, 0) }, { token: accessToken });
    expect(body.data.confirmTwoFactorEnrollment.codes).toHaveLength(10);
    expect(await storedCounter(user.id)).toBe(1n);
  });

  it("accepts successive counter values and stores the next one after each success", async () => {
    const user = await userWithTwoFactor(server, "HOTP");
    for (const counter of [1, 2, 3]) {
      const { body } = await signIn(user.username, hotpFor(user.secret, counter));
      expect(body.errors).toBeUndefined();
      expect(await storedCounter(user.id)).toBe(BigInt(counter + 1));
    }
  });

  it("refuses a counter value already used or older than the last accepted one", async () => {
    const user = await userWithTwoFactor(server, "HOTP");
    expect((await signIn(user.username, hotpFor(user.secret, 1))).body.errors).toBeUndefined();
    expect((await signIn(user.username, hotpFor(user.secret, 4))).body.errors).toBeUndefined();
    for (const old of [0, 1, 2, 3, 4]) {
      const { body } = await signIn(user.username, hotpFor(user.secret, old));
      expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
    expect(await storedCounter(user.id)).toBe(5n);
    expect((await signIn(user.username, hotpFor(user.secret, 5))).body.errors).toBeUndefined();
  });

  it("looks ahead 10 counter values and no further", async () => {
    const user = await userWithTwoFactor(server, "HOTP");
    // Expected counter 1: values 1..11 are in the window, 12 is not.
    expect((await signIn(user.username, hotpFor(user.secret, 12))).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await signIn(user.username, hotpFor(user.secret, 11))).body.errors).toBeUndefined();
    expect(await storedCounter(user.id)).toBe(12n);
    expect((await signIn(user.username, hotpFor(user.secret, 10))).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("gives one success when one HOTP code is sent on two challenges at the same moment", async () => {
    const user = await userWithTwoFactor(server, "HOTP");
    const [a, b] = [await passwordStep(server, user.username), await passwordStep(server, user.username)];
    const code = hotpFor(user.secret, 1);
    const results = await Promise.all([verify(server, a.challengeToken, code), verify(server, b.challengeToken, code)]);
    expect(results.filter((result) => !result.body.errors)).toHaveLength(1);
    expect(await storedCounter(user.id)).toBe(2n);
  });
});

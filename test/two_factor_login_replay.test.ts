import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, isAccepted, jwtPayload } from "./support/accounts";
import { totpFor } from "./support/otp";
import { nextTotpCode, nextTotpStep, passwordStep, userWithTwoFactor, verify } from "./support/two-factor";

describe.each(testDatabases)("two-factor login and code replay on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    // These suites spend many wrong codes on purpose (challenge limits, counters); wrong codes
    // also count toward the account lockout (two_factor_code_guessing.test.ts covers that).
    server = await startTestServer(kind, { env: { LOGIN_LOCKOUT_THRESHOLD: "1000" } });
  });
  afterAll(() => server.stop());

  it("answers the password with a challenge instead of tokens, and starts no session", async () => {
    const user = await userWithTwoFactor(server);
    const prisma = server.app.database.prisma;
    const sessionsBefore = await prisma.session.count({ where: { userId: user.id } });
    const before = server.clock.now().getTime();
    const challenge = await passwordStep(server, user.username);
    expect(challenge.methods).toEqual(["TOTP", "RECOVERY_CODE"]);
    expect(challenge.challengeToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const lifetime = new Date(challenge.expiresAt).getTime() - before;
    expect(lifetime).toBeGreaterThan(4.5 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(5 * 60_000 + 5_000);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(sessionsBefore);
    // Stored only as a hash.
    const rows = await prisma.oneTimeToken.findMany({ where: { userId: user.id, purpose: "TWO_FACTOR_CHALLENGE" } });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).not.toContain(challenge.challengeToken);
  });

  it("completes the sign-in with the right code, with the lifetime the login asked for", async () => {
    const user = await userWithTwoFactor(server);
    const challenge = await passwordStep(server, user.username, { expiresInMinutes: 7 });
    const code = nextTotpCode(server, user.secret);
    const verifiedFrom = server.clock.now().getTime();
    const { body } = await verify(server, challenge.challengeToken, code);
    expect(body.errors).toBeUndefined();
    const payload = body.data.verifyTwoFactorLogin;
    expect(payload.user).toEqual({ id: user.id, username: user.username, email: user.email, twoFactorEnabled: true });
    expect(payload.session.current).toBe(true);
    const claims = jwtPayload(payload.accessToken);
    expect(claims.exp - claims.iat).toBe(7 * 60);
    expect(claims).toMatchObject({ sub: user.id, sid: payload.session.id });
    expect((await server.gql(ME, {}, { token: payload.accessToken })).body.data.me.id).toBe(user.id);

    const prisma = server.app.database.prisma;
    const lastLoginAt = (await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt!.getTime();
    expect(lastLoginAt).toBeGreaterThanOrEqual(verifiedFrom);
    expect(lastLoginAt).toBeLessThanOrEqual(server.clock.now().getTime());
    const succeeded = await prisma.auditEvent.findFirstOrThrow({ where: { userId: user.id, type: "LOGIN_SUCCEEDED" }, orderBy: { createdAt: "desc" } });
    expect(succeeded.metadata).toEqual({ sessionId: payload.session.id, twoFactorMethod: "TOTP" });
  });

  it("sets the cookies when the login asked for cookie mode, and none otherwise", async () => {
    const user = await userWithTwoFactor(server);
    const withCookies = await passwordStep(server, user.username, { cookie: true });
    const first = await verify(server, withCookies.challengeToken, nextTotpCode(server, user.secret));
    expect(first.body.errors).toBeUndefined();
    const cookies = first.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith("lk_access="))).toMatch(/HttpOnly/);
    expect(cookies.find((c) => c.startsWith("lk_refresh="))).toMatch(/Path=\/graphql;/);

    const without = await passwordStep(server, user.username);
    const second = await verify(server, without.challengeToken, nextTotpCode(server, user.secret));
    expect(second.body.errors).toBeUndefined();
    // Only the device cookie (security notices), which grants nothing.
    expect(second.headers.getSetCookie().map((cookie) => cookie.split("=")[0])).toEqual(["lk_device"]);
  });

  it("refuses a code already accepted once, on a second challenge", async () => {
    const user = await userWithTwoFactor(server);
    const code = nextTotpCode(server, user.secret);
    const first = await passwordStep(server, user.username);
    expect((await verify(server, first.challengeToken, code)).body.errors).toBeUndefined();
    const second = await passwordStep(server, user.username);
    const replay = await verify(server, second.challengeToken, code);
    expect(replay.body.errors?.[0]).toMatchObject({ message: "Invalid two-factor code", extensions: { code: "UNAUTHENTICATED" } });
    expect(replay.body.data).toBeNull();
    // The code of a step before the accepted one is refused too; the next step's code works.
    const earlier = totpFor(user.secret, new Date(server.clock.now().getTime() - 30_000));
    expect((await verify(server, second.challengeToken, earlier)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await verify(server, second.challengeToken, nextTotpCode(server, user.secret))).body.errors).toBeUndefined();
  });

  it("refuses the confirmation code at sign-in: it was spent turning two-factor on", async () => {
    const user = await userWithTwoFactor(server);
    // userWithTwoFactor confirmed with the code of the current step; the clock has not moved since.
    const confirmationCode = totpFor(user.secret, server.clock.now());
    const challenge = await passwordStep(server, user.username);
    expect((await verify(server, challenge.challengeToken, confirmationCode)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("accepts the previous and next step's code (±1 step) but not two steps away", async () => {
    const user = await userWithTwoFactor(server);
    const now = nextTotpStep(server).getTime();
    // Far ahead of the confirmation step, so the previous step is not already spent.
    server.clock.advance(10 * 30_000);
    const at = (offsetSteps: number) => totpFor(user.secret, new Date(now + 10 * 30_000 + offsetSteps * 30_000));

    const tooOld = await passwordStep(server, user.username);
    expect((await verify(server, tooOld.challengeToken, at(-2))).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await verify(server, tooOld.challengeToken, at(2))).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await verify(server, tooOld.challengeToken, at(-1))).body.errors).toBeUndefined();
    const ahead = await passwordStep(server, user.username);
    expect((await verify(server, ahead.challengeToken, at(1))).body.errors).toBeUndefined();
    // The current step is now older than the last accepted one (+1): refused.
    const behind = await passwordStep(server, user.username);
    expect((await verify(server, behind.challengeToken, at(0))).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("uses a challenge once: after success the same challenge is refused", async () => {
    const user = await userWithTwoFactor(server);
    const challenge = await passwordStep(server, user.username);
    expect((await verify(server, challenge.challengeToken, nextTotpCode(server, user.secret))).body.errors).toBeUndefined();
    const again = await verify(server, challenge.challengeToken, nextTotpCode(server, user.secret));
    expect(again.body.errors?.[0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
    expect(again.body.errors?.[0].message).toMatch(/challenge/);
  });

  it("voids the challenge at the fifth wrong code: the right code is refused after it", async () => {
    const user = await userWithTwoFactor(server);
    const challenge = await passwordStep(server, user.username);
    const right = nextTotpCode(server, user.secret);
    const wrong = right === "000000" ? "111111" : "000000";
    for (let attempt = 1; attempt <= 4; attempt++) {
      const { body } = await verify(server, challenge.challengeToken, wrong);
      expect(body.errors?.[0].message).toBe("Invalid two-factor code");
    }
    const fifth = await verify(server, challenge.challengeToken, wrong);
    expect(fifth.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const afterVoid = await verify(server, challenge.challengeToken, right);
    expect(afterVoid.body.errors?.[0].message).toMatch(/challenge/);

    const prisma = server.app.database.prisma;
    const row = await prisma.oneTimeToken.findFirstOrThrow({ where: { userId: user.id, purpose: "TWO_FACTOR_CHALLENGE" } });
    expect(row.attempts).toBe(5);
    expect(row.usedAt).not.toBeNull();
    const failures = await prisma.auditEvent.findMany({ where: { userId: user.id, type: "TWO_FACTOR_CHALLENGE_FAILED" }, orderBy: { createdAt: "asc" } });
    expect(failures.map((event) => event.metadata)).toEqual([1, 2, 3, 4, 5].map((attempts) => ({ attempts, voided: attempts === 5 })));
    // The right code still works on a new challenge: it was never spent.
    const fresh = await passwordStep(server, user.username);
    expect((await verify(server, fresh.challengeToken, right)).body.errors).toBeUndefined();
  });

  it("lets a challenge survive four wrong codes", async () => {
    const user = await userWithTwoFactor(server);
    const challenge = await passwordStep(server, user.username);
    const right = nextTotpCode(server, user.secret);
    for (let attempt = 1; attempt <= 4; attempt++) await verify(server, challenge.challengeToken, right === "000000" ? "111111" : "000000");
    expect((await verify(server, challenge.challengeToken, right)).body.errors).toBeUndefined();
  });

  it("counts parallel wrong guesses one by one: ten at once void the challenge after five", async () => {
    const user = await userWithTwoFactor(server);
    const challenge = await passwordStep(server, user.username);
    const right = nextTotpCode(server, user.secret);
    const guesses = Array.from({ length: 10 }, (_, i) => String(i).repeat(6)).filter((guess) => guess !== right);
    await Promise.all(guesses.map((guess) => verify(server, challenge.challengeToken, guess)));
    const row = await server.app.database.prisma.oneTimeToken.findFirstOrThrow({ where: { userId: user.id, purpose: "TWO_FACTOR_CHALLENGE" } });
    expect(row.attempts).toBe(5);
    expect((await verify(server, challenge.challengeToken, right)).body.errors?.[0].message).toMatch(/challenge/);
  });

  it("gives one success when one code is sent on two challenges at the same moment", async () => {
    const user = await userWithTwoFactor(server);
    const [a, b] = [await passwordStep(server, user.username), await passwordStep(server, user.username)];
    const code = nextTotpCode(server, user.secret);
    const results = await Promise.all([verify(server, a.challengeToken, code), verify(server, b.challengeToken, code)]);
    const succeeded = results.filter((result) => !result.body.errors);
    expect(succeeded).toHaveLength(1);
    expect(results.find((result) => result.body.errors)!.body.errors![0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(await isAccepted(server, succeeded[0].body.data.verifyTwoFactorLogin.accessToken)).toBe(true);
  });

  it("expires the challenge after five minutes", async () => {
    const user = await userWithTwoFactor(server);
    const challenge = await passwordStep(server, user.username);
    server.clock.advance(5 * 60_000 + 1_000);
    const { body } = await verify(server, challenge.challengeToken, nextTotpCode(server, user.secret));
    expect(body.errors?.[0].message).toMatch(/challenge/);
    expect(await server.app.services.twoFactorChallenges.prune()).toBeGreaterThan(0);
    expect(await server.app.database.prisma.oneTimeToken.count({ where: { userId: user.id, purpose: "TWO_FACTOR_CHALLENGE" } })).toBe(0);
  });

  it("refuses unknown challenge tokens, and a disabled account even with the right code", async () => {
    const unknown = await verify(server, "not-a-challenge", "123456");
    expect(unknown.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");

    const user = await userWithTwoFactor(server);
    const challenge = await passwordStep(server, user.username);
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { disabled: true } });
    const { body } = await verify(server, challenge.challengeToken, nextTotpCode(server, user.secret));
    expect(body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "ACCOUNT_DISABLED" });
  });
});

import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { totpFor } from "./support/otp";
import { nextTotpCode, passwordStep, userWithTwoFactor, verify } from "./support/two-factor";

const THRESHOLD = 5; // the default LOGIN_LOCKOUT_THRESHOLD

/** A 6-digit code no authenticator step around `at` shows for this secret. */
function wrongCode(secret: string, at: Date, n: number): string {
  const valid = new Set([-1, 0, 1].map((step) => totpFor(secret, new Date(at.getTime() + step * 30_000))));
  for (let i = n; ; i++) {
    const code = String((i * 7919 + 123) % 1_000_000).padStart(6, "0");
    if (!valid.has(code)) return code;
  }
}

// Someone who has the password can open a new challenge whenever the last one dies at its fifth
// wrong code. Guesses at the second factor must count toward the account's lockout like wrong
// passwords, or the six digits fall to enough challenges from enough addresses.
describe.each(testDatabases)("second-factor guessing across challenges on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("locks the account after the threshold's wrong codes, whatever the challenge, even for the right code", async () => {
    const user = await userWithTwoFactor(server);
    let guesses = 0;
    // Three challenges, two wrong codes each: no challenge reaches its own limit of five.
    for (let round = 0; round < 3; round++) {
      const { challengeToken } = await passwordStep(server, user.username);
      for (let i = 0; i < 2; i++) {
        const { body } = await verify(server, challengeToken, wrongCode(user.secret, server.clock.now(), guesses++));
        if (guesses <= THRESHOLD) expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
        else expect(body.errors?.[0].extensions?.code).toBe("ACCOUNT_LOCKED");
      }
    }
    // Locked now: the password step says so, and a challenge opened before the lock takes no code.
    const { body } = await server.gql(`mutation($i: LoginInput!) { login(input: $i) { __typename } }`, {
      i: { identifier: user.username, password: user.password },
    });
    expect(body.errors?.[0].extensions?.code).toBe("ACCOUNT_LOCKED");

    // After the lock, the owner's right code goes through, and it leaves no failure behind.
    server.clock.advance(16 * 60_000);
    const { challengeToken } = await passwordStep(server, user.username);
    const signedIn = await verify(server, challengeToken, nextTotpCode(server, user.secret));
    expect(signedIn.body.errors).toBeUndefined();
    expect(signedIn.body.data.verifyTwoFactorLogin.accessToken).toEqual(expect.any(String));
  });

  it("refuses even the right code while the account is locked by wrong ones", async () => {
    const user = await userWithTwoFactor(server);
    const open = await passwordStep(server, user.username);
    let guesses = 0;
    while (guesses < THRESHOLD) {
      const { challengeToken } = guesses % 2 === 0 ? await passwordStep(server, user.username) : open;
      await verify(server, challengeToken, wrongCode(user.secret, server.clock.now(), guesses++));
    }
    const { body } = await verify(server, open.challengeToken, nextTotpCode(server, user.secret));
    expect(body.errors?.[0].extensions?.code).toBe("ACCOUNT_LOCKED");
    expect(await server.app.database.prisma.loginFailure.count({ where: { userId: user.id } })).toBe(THRESHOLD);
  });
});

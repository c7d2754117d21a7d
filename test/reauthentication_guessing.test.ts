import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, REFRESH, STRONG_PASSWORD, login, registerUser, registerVerifiedUser } from "./support/accounts";
import { BEGIN_TOTP, nextTotpCode, passwordStep, userWithTwoFactor, verify } from "./support/two-factor";
import { BEGIN_REGISTRATION, addPasskey, beginLogin } from "./support/passkeys";
import { SoftwareAuthenticator } from "./support/software-authenticator";

// reauthenticate is a password (or code) check reachable with nothing but an access token: a
// thief holding one must not get unlimited guesses at the password through it, nor reuse a code
// the owner typed elsewhere. It shares the sign-in lockout and the codes' single use.

const REAUTHENTICATE = /* GraphQL */ `
  mutation Reauth($input: ReauthenticateInput!) { reauthenticate(input: $input) { id authenticatedAt } }
`;
const BEGIN_REAUTH = /* GraphQL */ `mutation { beginPasskeyReauthentication { challengeToken optionsJson } }`;
const FINISH_REAUTH = /* GraphQL */ `
  mutation Finish($challengeToken: String!, $responseJson: String!) {
    finishPasskeyReauthentication(challengeToken: $challengeToken, responseJson: $responseJson) { id current authenticatedAt }
  }
`;
const MINUTE = 60_000;

describe.each(testDatabases)("reauthenticate under the sign-in lockout on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());
  const prisma = () => server.app.database.prisma;

  const reauth = (token: string, input: Record<string, unknown>) => server.gql(REAUTHENTICATE, { input }, { token });
  const codeOf = (result: { body: { errors?: Array<{ extensions?: Record<string, any> }> } }) => result.body.errors?.[0]?.extensions?.code ?? "OK";

  /** Lets the session's proof age past REAUTH_MAX_AGE while keeping it live; returns the refreshed token. */
  async function age(refreshToken: string): Promise<string> {
    server.clock.advance(6 * MINUTE);
    const refreshed = await server.gql(REFRESH, { token: refreshToken });
    server.clock.advance(4.5 * MINUTE);
    return refreshed.body.data.refreshSession.accessToken;
  }

  it("asks for exactly one proof", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    expect((await reauth(accessToken, {})).body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    const both = await reauth(accessToken, { password: STRONG_PASSWORD, code: "123456" });
    expect(both.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "code" });
    expect(await prisma().loginFailure.count({ where: { userId: user.id } })).toBe(0);
  });

  it("counts wrong passwords and codes like failed sign-ins: then ACCOUNT_LOCKED even for the right password, here and at login", async () => {
    const user = await userWithTwoFactor(server);
    const token = user.accessToken;
    const results: string[] = [];
    for (let i = 0; i < 3; i++) results.push(codeOf(await reauth(token, { password: `wrong-password-${i}` })));
    for (const code of ["000000", "111111"]) results.push(codeOf(await reauth(token, { code })));
    expect(results).toEqual(Array(5).fill("BAD_USER_INPUT"));
    expect(await prisma().loginFailure.count({ where: { userId: user.id } })).toBe(5);

    const locked = await reauth(token, { password: STRONG_PASSWORD });
    expect(locked.body.errors?.[0].extensions).toEqual({ code: "ACCOUNT_LOCKED", retryAfterSeconds: expect.any(Number) });
    expect(codeOf(await reauth(token, { code: nextTotpCode(server, user.secret) }))).toBe("ACCOUNT_LOCKED");
    const signIn = await server.gql(LOGIN, { input: { identifier: user.username, password: STRONG_PASSWORD } });
    expect(codeOf(signIn)).toBe("ACCOUNT_LOCKED");
    expect(await prisma().auditEvent.count({ where: { userId: user.id, type: "ACCOUNT_LOCKED" } })).toBe(1);

    // The lock ends as a sign-in lock does.
    server.clock.advance((locked.body.errors![0].extensions!.retryAfterSeconds as number) * 1000 + 1_000);
    expect(codeOf(await reauth(token, { password: STRONG_PASSWORD }))).toBe("OK");
  });

  it("accepts a TOTP code once: the same code is refused again, here and at sign-in", async () => {
    const user = await userWithTwoFactor(server);
    const code = nextTotpCode(server, user.secret);
    expect(codeOf(await reauth(user.accessToken, { code }))).toBe("OK");
    const replay = await reauth(user.accessToken, { code });
    expect(replay.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "code" });
    const challenge = await passwordStep(server, user.username);
    expect(codeOf(await verify(server, challenge.challengeToken, code))).toBe("UNAUTHENTICATED");
  });

  it("spends a recovery code", async () => {
    const user = await userWithTwoFactor(server);
    const [recovery] = user.recoveryCodes;
    expect(codeOf(await reauth(user.accessToken, { code: recovery }))).toBe("OK");
    expect(await prisma().recoveryCode.count({ where: { userId: user.id, usedAt: { not: null } } })).toBe(1);
    expect(codeOf(await reauth(user.accessToken, { code: recovery }))).toBe("BAD_USER_INPUT");
    const used = await prisma().auditEvent.findFirst({ where: { userId: user.id, type: "TWO_FACTOR_RECOVERY_CODE_USED" } });
    expect(used?.metadata).toEqual({ purpose: "REAUTHENTICATE" });
  });

  it("refuses a code from an account without two-factor, without counting it", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    expect(codeOf(await reauth(accessToken, { code: "123456" }))).toBe("CONFLICT");
    expect(await prisma().loginFailure.count({ where: { userId: user.id } })).toBe(0);
  });

  describe("with a passkey, for an account without a password", () => {
    async function passkeyOnly() {
      const user = await registerVerifiedUser(server);
      const signedIn = await login(server, user.username);
      const passkey = await addPasskey(server, signedIn.accessToken);
      await prisma().credential.deleteMany({ where: { userId: user.id, kind: "PASSWORD" } });
      return { user, passkey, token: await age(signedIn.refreshToken), sessionId: signedIn.session.id };
    }

    it("reauthenticates with the account's own passkey, after which the guarded mutations work", async () => {
      const { passkey, token, sessionId } = await passkeyOnly();
      expect((await server.gql(BEGIN_REGISTRATION, {}, { token })).body.errors?.[0].extensions?.reason).toBe("REAUTHENTICATION_REQUIRED");
      const noPassword = await reauth(token, { password: STRONG_PASSWORD });
      expect(noPassword.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "password" } });
      expect(noPassword.body.errors?.[0].message).toMatch(/no password/);

      const begun = (await server.gql(BEGIN_REAUTH, {}, { token })).body.data.beginPasskeyReauthentication;
      expect(JSON.parse(begun.optionsJson).allowCredentials).toEqual([expect.objectContaining({ id: passkey.authenticator.id })]);
      const before = server.clock.now().getTime();
      const finished = await server.gql(FINISH_REAUTH, { challengeToken: begun.challengeToken, responseJson: passkey.authenticator.assert(begun.optionsJson) }, { token });
      expect(finished.body.errors).toBeUndefined();
      expect(finished.body.data.finishPasskeyReauthentication).toMatchObject({ id: sessionId, current: true });
      expect(new Date(finished.body.data.finishPasskeyReauthentication.authenticatedAt).getTime()).toBeGreaterThanOrEqual(before);
      expect((await server.gql(BEGIN_REGISTRATION, {}, { token })).body.errors).toBeUndefined();

      // The challenge was single use.
      const again = await server.gql(FINISH_REAUTH, { challengeToken: begun.challengeToken, responseJson: passkey.authenticator.assert(begun.optionsJson) }, { token });
      expect(again.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "responseJson" });
    });

    it("refuses another account's passkey, an unknown one and a sign-in challenge, counting each toward the lockout", async () => {
      const { user, token } = await passkeyOnly();
      const stranger = await registerVerifiedUser(server);
      const theirs = await addPasskey(server, (await login(server, stranger.username)).accessToken);

      const attempts: string[] = [];
      const begin = async () => (await server.gql(BEGIN_REAUTH, {}, { token })).body.data.beginPasskeyReauthentication;
      let begun = await begin();
      attempts.push(codeOf(await server.gql(FINISH_REAUTH, { challengeToken: begun.challengeToken, responseJson: theirs.authenticator.assert(begun.optionsJson) }, { token })));
      begun = await begin();
      attempts.push(codeOf(await server.gql(FINISH_REAUTH, { challengeToken: begun.challengeToken, responseJson: new SoftwareAuthenticator().assert(begun.optionsJson) }, { token })));
      // A sign-in challenge is not a reauthentication challenge.
      const signIn = await beginLogin(server, null);
      attempts.push(codeOf(await server.gql(FINISH_REAUTH, { challengeToken: signIn.challengeToken, responseJson: theirs.authenticator.assert(signIn.optionsJson) }, { token })));
      expect(attempts).toEqual(["BAD_USER_INPUT", "BAD_USER_INPUT", "BAD_USER_INPUT"]);
      expect(await prisma().loginFailure.count({ where: { userId: user.id } })).toBe(3);
      expect((await server.gql(BEGIN_TOTP, {}, { token })).body.errors?.[0].extensions?.reason).toBe("REAUTHENTICATION_REQUIRED");
    });
  });
});

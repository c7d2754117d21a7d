import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, REFRESH, isAccepted, login, registerUser, registerVerifiedUser } from "./support/accounts";
import { nextTotpCode, passwordStep, userWithTwoFactor, verify } from "./support/two-factor";
import { addPasskey, beginLogin } from "./support/passkeys";

const FINISH_PASSKEY_LOGIN = /* GraphQL */ `
  mutation FinishLogin($challengeToken: String!, $responseJson: String!, $cookie: Boolean) {
    finishPasskeyLogin(challengeToken: $challengeToken, responseJson: $responseJson, cookie: $cookie) {
      accessToken refreshToken accessTokenExpiresAt session { id } user { id }
    }
  }
`;

/** The `name=value` part of each Set-Cookie header. */
function cookieJar(headers: Headers): Record<string, string> {
  return Object.fromEntries(
    headers.getSetCookie().map((c) => {
      const pair = c.split(";")[0];
      return [pair.slice(0, pair.indexOf("=")), pair];
    }),
  );
}

// In cookie mode the tokens live in httpOnly cookies so that page scripts cannot read them; a
// copy in the response body (readable by any script on the page, or an XSS) would undo that.
describe.each(testDatabases)("cookie mode keeps tokens out of the response body on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("login with cookie: true answers no accessToken or refreshToken, and the cookies work", async () => {
    const user = await registerUser(server);
    const { body, headers } = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password, cookie: true } });
    expect(body.errors).toBeUndefined();
    const payload = body.data.login;
    expect(payload.__typename).toBe("AuthPayload");
    expect(payload.accessToken).toBeNull();
    expect(payload.refreshToken).toBeNull();
    expect(payload.accessTokenExpiresAt).toEqual(expect.any(String));
    expect(payload.user.id).toBe(user.id);
    const jar = cookieJar(headers);
    expect((await server.gql(`query { me { id } }`, {}, { headers: { cookie: jar.lk_access } })).body.data?.me.id).toBe(user.id);
    expect(JSON.stringify(body)).not.toContain(jar.lk_refresh.split("=")[1]);
  });

  it("refreshSession through the cookie answers no tokens; with the argument it still answers both", async () => {
    const user = await registerUser(server);
    const signIn = await server.gql(LOGIN, { input: { identifier: user.username, password: user.password, cookie: true } });
    const { body, headers } = await server.gql(REFRESH, {}, { headers: { cookie: cookieJar(signIn.headers).lk_refresh } });
    expect(body.errors).toBeUndefined();
    expect(body.data.refreshSession).toMatchObject({ accessToken: null, refreshToken: null, user: { id: user.id } });
    const jar = cookieJar(headers);
    expect(jar.lk_access).toBeDefined();
    expect(jar.lk_refresh).toBeDefined();

    // Token mode is unchanged.
    const session = await login(server, user.username);
    const next = await server.gql(REFRESH, { token: session.refreshToken });
    expect(next.body.data.refreshSession.accessToken).toEqual(expect.any(String));
    expect(next.body.data.refreshSession.refreshToken).toEqual(expect.any(String));
    expect(await isAccepted(server, next.body.data.refreshSession.accessToken)).toBe(true);
  });

  it("verifyTwoFactorLogin after a cookie-mode login answers no tokens", async () => {
    const user = await userWithTwoFactor(server);
    const challenge = await passwordStep(server, user.username, { cookie: true });
    const { body, headers } = await verify(server, challenge.challengeToken, nextTotpCode(server, user.secret));
    expect(body.errors).toBeUndefined();
    expect(body.data.verifyTwoFactorLogin).toMatchObject({ accessToken: null, refreshToken: null, user: { id: user.id } });
    expect(cookieJar(headers).lk_access).toBeDefined();

    const tokenMode = await passwordStep(server, user.username);
    const answered = await verify(server, tokenMode.challengeToken, nextTotpCode(server, user.secret));
    expect(answered.body.data.verifyTwoFactorLogin.accessToken).toEqual(expect.any(String));
  });

  it("finishPasskeyLogin with cookie: true answers no tokens", async () => {
    const user = await registerVerifiedUser(server);
    const { accessToken } = await login(server, user.username);
    const { authenticator } = await addPasskey(server, accessToken);
    const start = await beginLogin(server, user.username);
    const { body, headers } = await server.gql(FINISH_PASSKEY_LOGIN, {
      challengeToken: start.challengeToken,
      responseJson: authenticator.assert(start.optionsJson),
      cookie: true,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.finishPasskeyLogin).toMatchObject({ accessToken: null, refreshToken: null, user: { id: user.id } });
    expect(cookieJar(headers).lk_refresh).toBeDefined();
  });
});

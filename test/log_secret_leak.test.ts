import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, REFRESH, registerUser, SECRET_PASSKEY, STRONG_PASSWORD } from "./support/accounts";
import { passwordStep, userWithTwoFactor, verify } from "./support/two-factor";

// Every suite's server logs at trace level into memory and fails at stop() when its log holds
// a secret the suite sent or received (test/support/secret-scan.ts). This suite walks the
// flows that handle the most secrets in one place and proves the scan would catch a leak.
describe.each(testDatabases)("no secret in the server log on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });

  it("logs none of the secrets of sign-up, sign-in, refresh, password change, passkey reset and two-factor", async () => {
    const user = await registerUser(server);
    await server.gql(`mutation ($input: LoginInput!) { login(input: $input) { __typename } }`, {
      input: { identifier: user.username, password: "wrong-password-but-long" },
    });
    const session = await login(server, user.username);
    const refreshed = await server.gql(REFRESH, { token: session.refreshToken });
    expect(refreshed.body.errors).toBeUndefined();
    const changed = await server.gql(
      `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) }`,
      { input: { currentPassword: STRONG_PASSWORD, newPassword: "a-brand-new-password-77" } },
      { token: refreshed.body.data.refreshSession.accessToken },
    );
    expect(changed.body.errors).toBeUndefined();
    const reset = await server.gql(`mutation ($input: PasskeyResetInput!) { resetPasswordWithPasskey(input: $input) }`, {
      input: { username: user.username, secretPasskey: SECRET_PASSKEY, newPassword: "reset-by-passkey-words-3" },
    });
    expect(reset.body.errors).toBeUndefined();

    const twoFactor = await userWithTwoFactor(server);
    const challenge = await passwordStep(server, twoFactor.username);
    expect((await verify(server, challenge.challengeToken, twoFactor.recoveryCodes[0])).body.errors).toBeUndefined();

    // The scan knows each kind of secret these flows carried...
    const log = server.log();
    expect(log.length).toBeGreaterThan(1000);
    const kinds = ["password", "newPassword", "secretPasskey", "accessToken", "refreshToken", "bearer", "secret", "otpauthUrl", "codes", "challengeToken"];
    expect([...server.secrets.kinds()].sort()).toEqual(expect.arrayContaining(kinds.sort()));
    expect(server.secrets.size).toBeGreaterThan(15);
    // ...and the log holds none of them.
    expect(server.secrets.leaksIn(log)).toEqual([]);
  });

  it("logs a GET request's path, not a query string that carries a password", async () => {
    const password = "query-string-password-5521";
    const query = `mutation { login(input: { identifier: "someone", password: "${password}" }) { __typename } }`;
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    expect(response.status).toBe(405); // mutations are refused over GET, but the URL reached the log
    const requestLine = server.log().split("\n").find((line) => line.includes(`"statusCode":405`));
    expect(requestLine).toContain(`"url":"/graphql"`);
    expect(server.log()).not.toContain(password);
  });

  it("fails the suite when the log does hold one", async () => {
    const control = await startTestServer(kind);
    const user = await registerUser(control);
    await login(control, user.username);
    control.logger.info({ note: `tried ${STRONG_PASSWORD}` }, "a careless line");
    await expect(control.stop()).rejects.toThrow(/contains secrets \(password\)/);
  });

  afterAll(() => server.stop());
});

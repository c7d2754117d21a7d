import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, login, registerUser } from "./support/accounts";
import { totpFor } from "./support/otp";
import { SecondFactorService } from "../src/mfa/second-factor.service";
import { BEGIN_TOTP, CONFIRM, DISABLE, REGENERATE, nextTotpCode, userWithTwoFactor } from "./support/two-factor";

const THRESHOLD = 5; // the default LOGIN_LOCKOUT_THRESHOLD
const CHANGE_PASSWORD = /* GraphQL */ `mutation Change($input: ChangePasswordInput!) { changePassword(input: $input) }`;
const DELETE_ACCOUNT = /* GraphQL */ `mutation Delete($password: String!) { deleteAccount(password: $password) }`;
const NEW_PASSWORD = "copper-meadow-sailcloth-93";

/** A 6-digit code no authenticator step around `at` shows for this secret. */
function wrongCode(secret: string, at: Date, salt: number): string {
  const valid = new Set([-1, 0, 1].map((step) => totpFor(secret, new Date(at.getTime() + step * 30_000))));
  for (let n = salt; ; n++) {
    const code = String((n * 7919) % 1_000_000).padStart(6, "0");
    if (!valid.has(code)) return code;
  }
}

interface Target {
  username: string;
  password: string;
  token: string;
  /** A request carrying a wrong secret (the n-th guess). */
  wrong(n: number): { query: string; variables: Record<string, unknown> };
  /** A request carrying the right secret. */
  right(): { query: string; variables: Record<string, unknown> };
  /** Counts the secret checks made. */
  spy(): jest.SpyInstance;
}

// A stolen access token must not become an unlimited password or code oracle: every mutation
// that checks a secret counts its failures toward the account's lockout, like sign-in does.
describe.each(testDatabases)("guessing secrets inside a session on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  const passwordTarget = async (query: "change" | "delete"): Promise<Target> => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const request = (password: string) =>
      query === "change"
        ? { query: CHANGE_PASSWORD, variables: { input: { currentPassword: password, newPassword: NEW_PASSWORD } } }
        : { query: DELETE_ACCOUNT, variables: { password } };
    return {
      username: user.username,
      password: user.password,
      token: accessToken,
      wrong: (n) => request(`not-my-password-${n}`),
      right: () => request(user.password),
      spy: () => jest.spyOn(server.app.services.credentials, "verify"),
    };
  };

  const codeTarget = async (query: "disable" | "regenerate" | "confirm"): Promise<Target> => {
    let secret: string;
    let user: { username: string; password: string };
    let token: string;
    if (query === "confirm") {
      const registered = await registerUser(server);
      token = (await login(server, registered.username)).accessToken;
      secret = (await server.gql(BEGIN_TOTP, {}, { token })).body.data.beginTotpEnrollment.secret;
      user = registered;
    } else {
      const enrolled = await userWithTwoFactor(server);
      ({ secret, accessToken: token } = enrolled);
      user = enrolled;
    }
    const document = { disable: DISABLE, regenerate: REGENERATE, confirm: CONFIRM }[query];
    return {
      username: user.username,
      password: user.password,
      token,
      wrong: (n) => ({ query: document, variables: { code: wrongCode(secret, server.clock.now(), n + 1) } }),
      right: () => ({ query: document, variables: { code: nextTotpCode(server, secret) } }),
      // Both checks go through the one SecondFactorService instance.
      spy: () => jest.spyOn(SecondFactorService.prototype, query === "confirm" ? "matchOtp" : "check"),
    };
  };

  const targets: Array<[string, () => Promise<Target>]> = [
    ["changePassword", () => passwordTarget("change")],
    ["deleteAccount", () => passwordTarget("delete")],
    ["disableTwoFactor", () => codeTarget("disable")],
    ["regenerateRecoveryCodes", () => codeTarget("regenerate")],
    ["confirmTwoFactorEnrollment", () => codeTarget("confirm")],
  ];

  const send = (target: Target, request: { query: string; variables: Record<string, unknown> }) =>
    server.gql(request.query, request.variables, { token: target.token });
  const codeOf = (result: Awaited<ReturnType<typeof send>>) => result.body.errors?.[0]?.extensions?.code ?? "OK";

  it.each(targets)("%s: locks after the threshold's wrong secrets, refuses the right one, and shares the lock with sign-in", async (_name, make) => {
    const target = await make();
    const codes: string[] = [];
    for (let i = 0; i <= THRESHOLD; i++) codes.push(codeOf(await send(target, target.wrong(i))));
    expect(codes).toEqual([...Array(THRESHOLD).fill("BAD_USER_INPUT"), "ACCOUNT_LOCKED"]);

    const locked = await send(target, target.right());
    expect(locked.body.errors?.[0].extensions).toEqual({ code: "ACCOUNT_LOCKED", retryAfterSeconds: expect.any(Number) });
    // The same lockout as sign-in: the right password does not sign in either.
    const signIn = await server.gql(LOGIN, { input: { identifier: target.username, password: target.password } });
    expect(signIn.body.errors?.[0].extensions?.code).toBe("ACCOUNT_LOCKED");

    // Once the lock is over, the right secret works and its check leaves no failure behind.
    server.clock.advance(locked.body.errors![0].extensions!.retryAfterSeconds * 1000 + 1_000);
    expect(codeOf(await send(target, target.right()))).toBe("OK");
  });

  it.each(targets)("%s: checks at most the threshold's secrets of 30 sent at once", async (_name, make) => {
    const target = await make();
    const spy = target.spy();
    try {
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => send(target, target.wrong(i))));
      const codes = results.map(codeOf);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(THRESHOLD);
      expect(codes.filter((c) => c === "BAD_USER_INPUT")).toHaveLength(spy.mock.calls.length);
      expect(codes.filter((c) => c === "ACCOUNT_LOCKED")).toHaveLength(30 - spy.mock.calls.length);
    } finally {
      spy.mockRestore();
    }
  });

  it("does not count a right secret as a failure", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    let current = user.password;
    for (let i = 0; i < THRESHOLD + 2; i++) {
      const next = `${NEW_PASSWORD}-round-${i}`;
      const { body } = await server.gql(CHANGE_PASSWORD, { input: { currentPassword: current, newPassword: next } }, { token: accessToken });
      expect(body.errors).toBeUndefined();
      current = next;
    }
    expect(await server.app.database.prisma.loginFailure.count({ where: { userId: user.id } })).toBe(0);
  });
});

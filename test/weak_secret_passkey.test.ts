import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { REFRESH, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, login, registerUser, uniqueName } from "./support/accounts";
import { NEW_PASSWORD, PASSKEY_RESET } from "./support/recovery";

// The secret passkey resets the password offline, with nothing but the username: it is a
// password in all but name, so a guessable one (aaaaaaaaaaaa) hands the account to anyone who
// tries it. The password rules apply to it, at sign-up and when it is set again, and setting
// it needs a recent proof of identity.

const SET_SECRET_PASSKEY = /* GraphQL */ `mutation($secretPasskey: String!) { setSecretPasskey(secretPasskey: $secretPasskey) }`;
const REAUTHENTICATE = /* GraphQL */ `mutation($input: ReauthenticateInput!) { reauthenticate(input: $input) { id } }`;
const NEW_SECRET = "granite kettle orbit 51";
const MINUTE = 60_000;

describe.each(testDatabases)("weak secret passkeys on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  const register = (secretPasskey: string) =>
    server.gql(REGISTER, { input: { username: uniqueName(), password: STRONG_PASSWORD, secretPasskey } });

  it.each([
    ["aaaaaaaaaaaa", ["REPETITIVE"]],
    ["abababababababab", ["REPETITIVE"]],
    ["short", ["TOO_SHORT"]],
    ["qwerty123456", ["COMMON"]],
  ])("refuses %p at sign-up with PASSWORD_POLICY %p", async (secretPasskey, reasons) => {
    const { body } = await register(secretPasskey);
    expect(body.errors?.[0].extensions).toEqual({ code: "PASSWORD_POLICY", reasons, field: "secretPasskey" });
    expect(body.errors?.[0].message).not.toContain(secretPasskey);
  });

  it("refuses a secret passkey equal to the username", async () => {
    const username = uniqueName("long_enough_name");
    const { body } = await server.gql(REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: username } });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "PASSWORD_POLICY", reasons: ["MATCHES_USERNAME"] });
  });

  it("refuses aaaaaaaaaaaa as a password too", async () => {
    const { body } = await server.gql(REGISTER, { input: { username: uniqueName(), password: "aaaaaaaaaaaa", secretPasskey: SECRET_PASSKEY } });
    expect(body.errors?.[0].extensions).toEqual({ code: "PASSWORD_POLICY", reasons: ["REPETITIVE"] });
  });

  it("sets a new secret passkey under the same rules, only after a recent sign-in, and passkey reset then takes it", async () => {
    const user = await registerUser(server);
    const signedIn = await login(server, user.username);
    server.clock.advance(6 * MINUTE);
    const token = (await server.gql(REFRESH, { token: signedIn.refreshToken })).body.data.refreshSession.accessToken as string;
    server.clock.advance(4.5 * MINUTE);

    const stale = await server.gql(SET_SECRET_PASSKEY, { secretPasskey: NEW_SECRET }, { token });
    expect(stale.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "REAUTHENTICATION_REQUIRED" });
    expect((await server.gql(REAUTHENTICATE, { input: { password: STRONG_PASSWORD } }, { token })).body.errors).toBeUndefined();

    const weak = await server.gql(SET_SECRET_PASSKEY, { secretPasskey: "aaaaaaaaaaaa" }, { token });
    expect(weak.body.errors?.[0].extensions).toEqual({ code: "PASSWORD_POLICY", reasons: ["REPETITIVE"], field: "secretPasskey" });
    const asPassword = await server.gql(SET_SECRET_PASSKEY, { secretPasskey: STRONG_PASSWORD }, { token });
    expect(asPassword.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "secretPasskey" });

    const set = await server.gql(SET_SECRET_PASSKEY, { secretPasskey: NEW_SECRET }, { token });
    expect(set.body).toEqual({ data: { setSecretPasskey: true } });
    const stored = await server.app.database.prisma.credential.findMany({ where: { userId: user.id, kind: "SECRET_PASSKEY", isCurrent: true } });
    expect(stored).toHaveLength(1);
    expect(stored[0].hash).toMatch(/^\$argon2id\$/);
    expect(await server.app.database.prisma.auditEvent.count({ where: { userId: user.id, type: "SECRET_PASSKEY_CHANGED" } })).toBe(1);

    // The old secret no longer resets the password; the new one does.
    const old = await server.gql(PASSKEY_RESET, { input: { username: user.username, secretPasskey: SECRET_PASSKEY, newPassword: NEW_PASSWORD } });
    expect(old.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const reset = await server.gql(PASSKEY_RESET, { input: { username: user.username, secretPasskey: NEW_SECRET, newPassword: NEW_PASSWORD } });
    expect(reset.body).toEqual({ data: { resetPasswordWithPasskey: true } });
    expect((await login(server, user.username, NEW_PASSWORD)).user.id).toBe(user.id);
  });
});

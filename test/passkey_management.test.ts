import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, STRONG_PASSWORD, login, registerVerifiedUser, uniqueName } from "./support/accounts";
import { startTestOidcProvider, type TestOidcProvider } from "./support/oidc-test-provider";
import { UNLINK_OAUTH, oauthEnv, signInOk } from "./support/oauth";
import { MY_PASSKEYS, REMOVE, RENAME, addPasskey, passkeyLogin } from "./support/passkeys";

const CHANGE_PASSWORD = /* GraphQL */ `mutation($input: ChangePasswordInput!) { changePassword(input: $input) }`;
const DELETE_ACCOUNT = /* GraphQL */ `mutation($password: String!) { deleteAccount(password: $password) }`;
const SEARCH = /* GraphQL */ `query($q: String!) { searchUsers(filter: { query: $q }) { edges { node { id passkeys { id } } } } }`;

// A user's own passkeys: listing, renaming, removing, and never losing the last way in.
describe.each(testDatabases)("managing passkeys on %s", (kind) => {
  let op: TestOidcProvider;
  let server: TestServer;
  beforeAll(async () => {
    op = await startTestOidcProvider();
    server = await startTestServer(kind, { env: oauthEnv(op) });
  });
  afterAll(async () => {
    await server?.stop();
    await op?.close();
  });
  const prisma = () => server.app.database.prisma;

  async function signedInUser() {
    const user = await registerVerifiedUser(server);
    return { ...user, token: (await login(server, user.username)).accessToken };
  }

  it("renames and removes one's own passkeys, audits both, and cannot touch another user's", async () => {
    const user = await signedInUser();
    const other = await signedInUser();
    const first = await addPasskey(server, user.token, { name: "Laptop" });
    const second = await addPasskey(server, user.token);
    const theirs = await addPasskey(server, other.token);

    const renamed = await server.gql(RENAME, { id: second.id, name: " Security key " }, { token: user.token });
    expect(renamed.body.data.renamePasskey).toEqual({ id: second.id, name: "Security key" });
    const blank = await server.gql(RENAME, { id: second.id, name: "  " }, { token: user.token });
    expect(blank.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "name" });
    const long = await server.gql(RENAME, { id: second.id, name: "x".repeat(65) }, { token: user.token });
    expect(long.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "name" });

    for (const op of [RENAME, REMOVE]) {
      const { body } = await server.gql(op, { id: theirs.id, name: "mine now" }, { token: user.token });
      expect(body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    }
    expect(await prisma().webAuthnCredential.findUnique({ where: { id: theirs.id } })).toMatchObject({ name: null });

    const removed = await server.gql(REMOVE, { id: first.id }, { token: user.token });
    expect(removed.body).toEqual({ data: { removePasskey: true } });
    const me = await server.gql(MY_PASSKEYS, {}, { token: user.token });
    expect(me.body.data.me.passkeys).toEqual([expect.objectContaining({ id: second.id, name: "Security key" })]);
    const events = await prisma().auditEvent.findMany({ where: { userId: user.id, type: { in: ["PASSKEY_RENAMED", "PASSKEY_REMOVED"] } } });
    expect(events.map((event) => [event.type, (event.metadata as any).passkeyId]).sort()).toEqual([
      ["PASSKEY_REMOVED", first.id],
      ["PASSKEY_RENAMED", second.id],
    ]);
    // A removed passkey no longer signs in.
    const gone = await passkeyLogin(server, first.authenticator);
    expect(gone.body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
  });

  it("shows passkeys to their owner only, even to an ADMIN", async () => {
    const user = await signedInUser();
    await addPasskey(server, user.token);
    const admin = await signedInUser();
    await prisma().user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
    const { body } = await server.gql(SEARCH, { q: user.username }, { token: admin.token });
    expect(body.data.searchUsers.edges).toEqual([{ node: { id: user.id, passkeys: [] } }]);
  });

  it("keeps an account with passkeys only: the last passkey cannot go, password operations say there is no password", async () => {
    const account = op.addAccount({ sub: uniqueName("sub") });
    const signedIn = await signInOk(server, op, account.sub);
    const token = signedIn.accessToken;
    const userId = signedIn.user.id;
    const only = await addPasskey(server, token, { name: "Phone" });

    // The passkey is a way in, so the provider link can go: now passkeys are all the account has.
    const unlinked = await server.gql(UNLINK_OAUTH, { provider: "testop" }, { token });
    expect(unlinked.body.data?.unlinkOAuthAccount.linkedProviders).toEqual([]);
    const last = await server.gql(REMOVE, { id: only.id }, { token });
    expect(last.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "LAST_SIGN_IN_METHOD" });
    expect(await prisma().webAuthnCredential.count({ where: { userId } })).toBe(1);

    // Signing in works with the passkey alone.
    const viaPasskey = await passkeyLogin(server, only.authenticator);
    expect(viaPasskey.body.data?.finishPasskeyLogin.user.id).toBe(userId);

    // Password paths answer clearly, never with a server error.
    const username = signedIn.user.username;
    const loginAttempt = await server.gql(LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } });
    expect(loginAttempt.body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
    const change = await server.gql(CHANGE_PASSWORD, { input: { currentPassword: STRONG_PASSWORD, newPassword: "brand-new-passphrase-77" } }, { token });
    expect(change.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "currentPassword" } });
    expect(change.body.errors?.[0].message).toMatch(/no password/);
    const deletion = await server.gql(DELETE_ACCOUNT, { password: STRONG_PASSWORD }, { token });
    expect(deletion.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "password" } });
    expect(deletion.body.errors?.[0].message).toMatch(/no password/);

    // With a second passkey, either one can go, but not both.
    const spare = await addPasskey(server, token);
    expect((await server.gql(REMOVE, { id: only.id }, { token })).body.data?.removePasskey).toBe(true);
    const lastAgain = await server.gql(REMOVE, { id: spare.id }, { token });
    expect(lastAgain.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "LAST_SIGN_IN_METHOD" });
  });

  it("lets an account with a password remove its last passkey", async () => {
    const user = await signedInUser();
    const { id } = await addPasskey(server, user.token);
    expect((await server.gql(REMOVE, { id }, { token: user.token })).body.data?.removePasskey).toBe(true);
  });
});

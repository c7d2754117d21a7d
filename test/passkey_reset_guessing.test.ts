import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { SECRET_PASSKEY, login, registerUser, uniqueName } from "./support/accounts";
import { NEW_PASSWORD, PASSKEY_RESET } from "./support/recovery";

/**
 * Guessing a secret passkey from many addresses: resetPasswordWithPasskey counts failures per
 * account in the database, so rotating client IPs does not buy more guesses.
 */
describe.each(testDatabases)("secret passkey guessing across addresses on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    // One trusted proxy: each request's client address is the one the proxy appended.
    server = await startTestServer(kind, { env: { TRUST_PROXY: "true" } });
  });
  afterAll(() => server.stop());

  let nextIp = 1;
  const fromNewAddress = () => ({ headers: { "x-forwarded-for": `198.51.100.${nextIp++}` } });
  const attempt = (username: string, secretPasskey: string) =>
    server.gql(PASSKEY_RESET, { input: { username, secretPasskey, newPassword: NEW_PASSWORD } }, fromNewAddress());

  it("locks the account's passkey reset after five wrong guesses from five addresses", async () => {
    const user = await registerUser(server);
    for (let guess = 0; guess < 5; guess++) {
      const { body } = await attempt(user.username, `wrong guess number ${guess}`);
      expect(body.errors?.[0]).toMatchObject({ message: "Invalid credentials", extensions: { code: "UNAUTHENTICATED" } });
    }
    // A sixth address, even with the right secret: locked.
    const locked = await attempt(user.username, SECRET_PASSKEY);
    expect(locked.body.errors?.[0].extensions).toMatchObject({ code: "ACCOUNT_LOCKED" });
    expect(locked.body.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
    // The password is unchanged; the password sign-in has its own count and still works.
    expect((await login(server, user.username)).user.id).toBe(user.id);

    server.clock.advance(16 * 60_000);
    try {
      const later = await attempt(user.username, SECRET_PASSKEY);
      expect(later.body).toEqual({ data: { resetPasswordWithPasskey: true } });
    } finally {
      server.clock.advance(-16 * 60_000);
    }
  });

  it("answers an unknown username the same way", async () => {
    const ghost = uniqueName("ghost");
    for (let guess = 0; guess < 5; guess++) await attempt(ghost, `wrong guess number ${guess}`);
    const locked = await attempt(ghost, SECRET_PASSKEY);
    expect(locked.body.errors?.[0].extensions).toMatchObject({ code: "ACCOUNT_LOCKED" });
  });
});

import * as client from "openid-client";
import { START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { SECRET_PASSKEY, login, registerUser, type RegisteredUser } from "./support/accounts";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { NEW_PASSWORD, PASSKEY_RESET } from "./support/recovery";
import { codeFlowTokens, registerClient, relyingParty, startProviderServer } from "./support/oidc-relying-party";

/**
 * One account, one truth: what ends a user's Latchkey sessions ends their provider sessions,
 * grants and refresh tokens at every app too. The tokens are obtained through the engine's
 * interaction API (test/support/oidc-relying-party.ts), not the sign-in pages.
 */
describe.each(testDatabases)("OpenID Provider state ends with the account's sessions on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startProviderServer(kind, { env: ADMIN_ENV });
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  async function signedInAtApp(user: RegisteredUser) {
    const config = await relyingParty(server, await registerClient(server));
    const tokens = await codeFlowTokens(server, config, user.id);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    return { config, tokens };
  }
  const engineRows = (accountId: string) => server.app.database.prisma.oidcPayload.count({ where: { accountId } });
  /** The listener deletes after the event committed; wait for what it started. */
  const settled = () => server.app.services.oidcProvider.revocation.settled();

  it("rotates refresh tokens, and a rotated one presented again ends the grant (reuse detection)", async () => {
    const user = await registerUser(server);
    const { config, tokens } = await signedInAtApp(user);
    const second = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    expect((await client.fetchUserInfo(config, second.access_token, user.id)).sub).toBe(user.id);
    // The first token again: refused, and its grant ends with it (the successor stops too).
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    await expect(client.refreshTokenGrant(config, second.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    expect((await client.tokenIntrospection(config, second.access_token)).active).toBe(false);
  });

  it("refuses the refresh token of a user an ADMIN disabled", async () => {
    const user = await registerUser(server);
    const { config, tokens } = await signedInAtApp(user);
    const other = await signedInAtApp(await registerUser(server));
    const admin = await adminToken(server);
    const disabled = await server.gql(`mutation ($id: ID!) { setUserDisabled(userId: $id, disabled: true, reason: "abuse") { id } }`, { id: user.id }, { token: admin });
    expect(disabled.body.errors).toBeUndefined();
    await settled();
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    expect(await engineRows(user.id)).toBe(0);
    // Another user's tokens at the app are untouched.
    expect((await client.refreshTokenGrant(other.config, other.tokens.refresh_token!)).access_token).toEqual(expect.any(String));
  });

  it("refuses a disabled user's refresh token even before the listener ran (the account is looked up at every refresh)", async () => {
    const user = await registerUser(server);
    const { config, tokens } = await signedInAtApp(user);
    // Straight in the database: no audited event, so only the account lookup can refuse it.
    await server.app.database.prisma.user.update({ where: { id: user.id }, data: { disabled: true } });
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    await expect(client.fetchUserInfo(config, tokens.access_token, user.id)).rejects.toBeTruthy();
  });

  it("ends the provider state on logoutAllSessions", async () => {
    const user = await registerUser(server);
    const { config, tokens } = await signedInAtApp(user);
    const session = await login(server, user.username);
    expect(await engineRows(user.id)).toBeGreaterThan(0);
    const loggedOut = await server.gql(`mutation { logoutAllSessions }`, {}, { token: session.accessToken });
    expect(loggedOut.body.errors).toBeUndefined();
    await settled();
    expect(await engineRows(user.id)).toBe(0);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("keeps the provider state on a plain logout of one Latchkey session (control)", async () => {
    const user = await registerUser(server);
    const { config, tokens } = await signedInAtApp(user);
    const session = await login(server, user.username);
    expect((await server.gql(`mutation { logout }`, {}, { token: session.accessToken })).body.errors).toBeUndefined();
    await settled();
    expect((await client.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toEqual(expect.any(String));
  });

  it("ends the provider state on a password reset", async () => {
    const user = await registerUser(server);
    const { config, tokens } = await signedInAtApp(user);
    const reset = await server.gql(PASSKEY_RESET, { input: { username: user.username, secretPasskey: SECRET_PASSKEY, newPassword: NEW_PASSWORD } });
    expect(reset.body.errors).toBeUndefined();
    await settled();
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    expect(await engineRows(user.id)).toBe(0);
  });

  it("ends the provider state when an ADMIN revokes the user's sessions", async () => {
    const user = await registerUser(server);
    const { config, tokens } = await signedInAtApp(user);
    const admin = await adminToken(server);
    const revoked = await server.gql(`mutation ($id: ID!) { revokeUserSessions(userId: $id) }`, { id: user.id }, { token: admin });
    expect(revoked.body.errors).toBeUndefined();
    await settled();
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("ends the provider state when the user deletes the account", async () => {
    const user = await registerUser(server);
    const { config, tokens } = await signedInAtApp(user);
    const session = await login(server, user.username);
    const deleted = await server.gql(`mutation ($p: String!) { deleteAccount(password: $p) }`, { p: user.password }, { token: session.accessToken });
    expect(deleted.body.errors).toBeUndefined();
    await settled();
    expect(await engineRows(user.id)).toBe(0);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("prunes expired engine state and reads none of it", async () => {
    const { payloads } = server.app.services.oidcProvider;
    const past = new Date(server.clock.now().getTime() - 1000);
    await payloads.upsert("AccessToken", "expired-token", { accountId: "nobody" }, past);
    expect(await payloads.find("AccessToken", "expired-token", server.clock.now())).toBeUndefined();
    expect(await server.app.database.prisma.oidcPayload.count({ where: { id: "expired-token" } })).toBe(1);
    expect(await server.app.services.oidcProvider.prune()).toBeGreaterThanOrEqual(1);
    expect(await server.app.database.prisma.oidcPayload.count({ where: { id: "expired-token" } })).toBe(0);
  });
});

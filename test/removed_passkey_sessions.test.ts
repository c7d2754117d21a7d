import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { REFRESH, isAccepted, login, registerVerifiedUser } from "./support/accounts";
import { REMOVE, addPasskey, passkeyLogin } from "./support/passkeys";

// A passkey an attacker managed to add, or a lost phone's, signs in without the password; its
// sessions must not outlive the passkey. Removing it ends every session it started (their
// access tokens stop at once, their refresh tokens too) and no other session.

describe.each(testDatabases)("sessions of a removed passkey on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());
  const prisma = () => server.app.database.prisma;

  it("ends the sessions the passkey started, with their access and refresh tokens, and no other", async () => {
    const user = await registerVerifiedUser(server);
    const owner = await login(server, user.username);
    const lost = await addPasskey(server, owner.accessToken, { name: "Lost phone" });
    const kept = await addPasskey(server, owner.accessToken, { name: "Laptop" });

    const viaLost = (await passkeyLogin(server, lost.authenticator)).body.data.finishPasskeyLogin;
    const viaLostAgain = (await passkeyLogin(server, lost.authenticator)).body.data.finishPasskeyLogin;
    const viaKept = (await passkeyLogin(server, kept.authenticator)).body.data.finishPasskeyLogin;
    const started = await prisma().session.findMany({ where: { id: { in: [viaLost.session.id, viaLostAgain.session.id, viaKept.session.id] } } });
    expect(Object.fromEntries(started.map((row) => [row.id, row.passkeyId]))).toEqual({
      [viaLost.session.id]: lost.id,
      [viaLostAgain.session.id]: lost.id,
      [viaKept.session.id]: kept.id,
    });
    // Cache the sessions about to end, so removal has to reach the cache, not just the table.
    for (const session of [viaLost, viaLostAgain, viaKept]) expect(await isAccepted(server, session.accessToken)).toBe(true);

    const removed = await server.gql(REMOVE, { id: lost.id }, { token: owner.accessToken });
    expect(removed.body).toEqual({ data: { removePasskey: true } });

    expect(await isAccepted(server, viaLost.accessToken)).toBe(false);
    expect(await isAccepted(server, viaLostAgain.accessToken)).toBe(false);
    const refreshed = await server.gql(REFRESH, { token: viaLost.refreshToken });
    expect(refreshed.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    // The password session and the other passkey's session go on.
    expect(await isAccepted(server, owner.accessToken)).toBe(true);
    expect(await isAccepted(server, viaKept.accessToken)).toBe(true);

    const event = await prisma().auditEvent.findFirst({ where: { userId: user.id, type: "PASSKEY_REMOVED" } });
    expect(event?.metadata).toMatchObject({ passkeyId: lost.id, revokedSessions: 2 });
  });

  it("ends the calling session too when the passkey being removed started it", async () => {
    const user = await registerVerifiedUser(server);
    const owner = await login(server, user.username);
    const passkey = await addPasskey(server, owner.accessToken);
    const viaPasskey = (await passkeyLogin(server, passkey.authenticator)).body.data.finishPasskeyLogin;

    const removed = await server.gql(REMOVE, { id: passkey.id }, { token: viaPasskey.accessToken });
    expect(removed.body).toEqual({ data: { removePasskey: true } });
    expect(await isAccepted(server, viaPasskey.accessToken)).toBe(false);
    expect(await prisma().revokedToken.count({ where: { jti: JSON.parse(Buffer.from(viaPasskey.accessToken.split(".")[1], "base64url").toString()).jti } })).toBe(1);
    expect(await isAccepted(server, owner.accessToken)).toBe(true);
  });

  it("ends nothing when the removal is refused", async () => {
    const user = await registerVerifiedUser(server);
    const owner = await login(server, user.username);
    const passkey = await addPasskey(server, owner.accessToken);
    const viaPasskey = (await passkeyLogin(server, passkey.authenticator)).body.data.finishPasskeyLogin;
    // The password is gone: the passkey is now the only way in and cannot be removed.
    await prisma().credential.deleteMany({ where: { userId: user.id, kind: "PASSWORD" } });
    const refused = await server.gql(REMOVE, { id: passkey.id }, { token: owner.accessToken });
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "FORBIDDEN", reason: "LAST_SIGN_IN_METHOD" });
    expect(await isAccepted(server, viaPasskey.accessToken)).toBe(true);
    expect(await prisma().session.count({ where: { userId: user.id, revokedAt: { not: null } } })).toBe(0);
  });
});

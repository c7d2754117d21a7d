import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { isAccepted, login, registerUser } from "./support/accounts";

describe.each(testDatabases)("signing key rotation on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  const verifyWithJwks = async (token: string) => {
    // A fresh JWKS client each time, as a separate service would have after the rotation.
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    return jwtVerify(token, jwks, { issuer: "http://localhost:4000", audience: "latchkey", algorithms: ["EdDSA"] });
  };

  it("keeps old tokens verifying, signs new ones with the new key and publishes both", async () => {
    const user = await registerUser(server);
    const before = await login(server, user.username, undefined, { expiresInMinutes: 60 });
    const oldKid = decodeProtectedHeader(before.accessToken).kid;

    const newKid = await server.app.services.signingKeys.rotate();
    expect(newKid).not.toBe(oldKid);

    const after = await login(server, user.username, undefined, { expiresInMinutes: 60 });
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(newKid);

    const published = ((await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
    expect(published).toEqual(expect.arrayContaining([oldKid, newKid]));

    expect((await verifyWithJwks(before.accessToken)).payload.sub).toBe(user.id);
    expect((await verifyWithJwks(after.accessToken)).payload.sub).toBe(user.id);
    expect(await isAccepted(server, before.accessToken)).toBe(true);
    expect(await isAccepted(server, after.accessToken)).toBe(true);
  });

  it("stops publishing a retired key once every token it signed has expired", async () => {
    const kidBefore = await server.app.services.signingKeys.rotate();
    await server.app.services.signingKeys.rotate();
    const kids = () => server.app.services.signingKeys.jwks().keys.map((k) => k.kid);
    expect(kids()).toContain(kidBefore);
    server.clock.advance(24 * 60 * 60 * 1000 + 60_000);
    expect(kids()).not.toContain(kidBefore);
  });
});

import { SignJWT, generateKeyPair } from "jose";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, jwtPayload, login, registerUser } from "./support/accounts";

// Every way of presenting a token the server did not issue, or no longer honours.
describe.each(testDatabases)("access token checks on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { SESSION_IDLE_TIMEOUT: "10m" } });
  });
  afterAll(() => server.stop());

  const expectUnauthenticated = async (token: string | undefined, headers: Record<string, string> = {}) => {
    const { body } = await server.gql(ME, {}, { token, headers });
    expect(body.data).toBeNull();
    expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  };

  const signedIn = async (extra: Record<string, unknown> = {}) => {
    const user = await registerUser(server);
    return { user, payload: await login(server, user.username, undefined, extra) };
  };

  it("refuses `me` without a token", async () => {
    await expectUnauthenticated(undefined);
  });

  it("refuses a garbage bearer value", async () => {
    await expectUnauthenticated("not.a.jwt");
    await expectUnauthenticated(undefined, { authorization: "Basic dXNlcjpwYXNz" });
  });

  it("refuses a token whose payload was altered", async () => {
    const { payload } = await signedIn();
    const [header, body, signature] = payload.accessToken.split(".");
    const claims = JSON.parse(Buffer.from(body, "base64url").toString());
    const tampered = Buffer.from(JSON.stringify({ ...claims, role: "ADMIN" })).toString("base64url");
    await expectUnauthenticated([header, tampered, signature].join("."));
  });

  it("refuses a token once it has expired, allowing only 5 seconds of skew", async () => {
    const { payload } = await signedIn({ expiresInMinutes: 1 });
    expect((await server.gql(ME, {}, { token: payload.accessToken })).body.data?.me).toBeTruthy();
    // Move to 3 s past exp: inside the allowed skew. Then to 7 s past: outside it.
    const expiresAtMs = jwtPayload(payload.accessToken).exp * 1000;
    server.clock.advance(expiresAtMs - server.clock.now().getTime() + 3_000);
    expect((await server.gql(ME, {}, { token: payload.accessToken })).body.data?.me).toBeTruthy();
    server.clock.advance(4_000);
    await expectUnauthenticated(payload.accessToken);
  });

  it("refuses an unsigned token (alg: none)", async () => {
    const { payload } = await signedIn();
    const claims = jwtPayload(payload.accessToken);
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
    await expectUnauthenticated(`${header}.${body}.`);
    await expectUnauthenticated(`${header}.${body}`);
  });

  it("refuses a token signed by a foreign key, even under our kid", async () => {
    const { payload } = await signedIn();
    const claims = jwtPayload(payload.accessToken);
    const { kid } = JSON.parse(Buffer.from(payload.accessToken.split(".")[0], "base64url").toString());
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: "EdDSA", kid }).sign(privateKey);
    await expectUnauthenticated(forged);
  });

  it("refuses an HMAC token keyed with our public key (algorithm confusion)", async () => {
    const { payload } = await signedIn();
    const claims = jwtPayload(payload.accessToken);
    const { kid } = JSON.parse(Buffer.from(payload.accessToken.split(".")[0], "base64url").toString());
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ x: string }> };
    const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid }).sign(secret);
    await expectUnauthenticated(forged);
  });

  it("refuses a token from another issuer or audience signed with a real-looking key", async () => {
    const { payload } = await signedIn();
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const claims = { ...jwtPayload(payload.accessToken), iss: "https://evil.example", aud: "someone-else" };
    await expectUnauthenticated(await new SignJWT(claims).setProtectedHeader({ alg: "EdDSA" }).sign(privateKey));
  });

  it("refuses a token whose jti is in the revoked-token table", async () => {
    const { payload } = await signedIn();
    const { jti, exp } = jwtPayload(payload.accessToken);
    await server.app.database.prisma.revokedToken.create({ data: { jti, expiresAt: new Date(exp * 1000) } });
    await expectUnauthenticated(payload.accessToken);
  });

  it("refuses a token whose session was revoked", async () => {
    const { payload } = await signedIn();
    await server.app.database.prisma.session.update({ where: { id: payload.session.id }, data: { revokedAt: new Date() } });
    await expectUnauthenticated(payload.accessToken);
  });

  it("refuses a token whose session has been idle past SESSION_IDLE_TIMEOUT", async () => {
    const { payload } = await signedIn({ expiresInMinutes: 60 });
    server.clock.advance(9 * 60_000);
    expect((await server.gql(ME, {}, { token: payload.accessToken })).body.data?.me).toBeTruthy();
    // That request moved the idle window; ten quiet minutes from there end the session.
    server.clock.advance(10 * 60_000 + 1_000);
    await expectUnauthenticated(payload.accessToken);
  });

  it("refuses a token of a user disabled or deleted since it was issued", async () => {
    const first = await signedIn();
    await server.app.database.prisma.user.update({ where: { id: first.user.id }, data: { disabled: true } });
    await expectUnauthenticated(first.payload.accessToken);
    const second = await signedIn();
    await server.app.database.prisma.user.update({ where: { id: second.user.id }, data: { deletedAt: new Date() } });
    await expectUnauthenticated(second.payload.accessToken);
  });

  it("still serves public operations when a bad token is sent", async () => {
    const { body } = await server.gql("{ passwordPolicy { minLength maxLength } }", {}, { token: "garbage" });
    expect(body).toEqual({ data: { passwordPolicy: { minLength: 12, maxLength: 128 } } });
  });
});

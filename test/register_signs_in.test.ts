import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { REFRESH, SECRET_PASSKEY, STRONG_PASSWORD, jwtPayload, login, uniqueName } from "./support/accounts";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { createEndpoint } from "./support/webhooks";
import { countingFetch } from "./support/client-fetch";
import { createLatchkeyClient, createLatchkeyFetch, type AuthMode } from "../packages/client/src/index.ts";
import { INVITE_MEMBER, MY_ORGANIZATIONS, createOrganization, invitationTokenFromOutbox, signedInVerifiedUser } from "./support/organizations";

const REGISTER_SIGN_IN = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      userId
      user { id username lastLoginAt lastSignInMethod }
      auth {
        accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt
        session { id current }
        user { id username lastSignInMethod }
      }
    }
  }
`;
const ME = /* GraphQL */ `query { me { id username lastLoginAt lastSignInMethod } }`;

// Nothing is delivered: the deliveries written with the sign-up are read back.
const ENV = { ...ADMIN_ENV, WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_INTERVAL: "1h" };

/** The `name=value` part of each Set-Cookie header. */
function cookieJar(headers: Headers): Record<string, string> {
  return Object.fromEntries(
    headers.getSetCookie().map((c) => {
      const pair = c.split(";")[0];
      return [pair.slice(0, pair.indexOf("=")), pair];
    }),
  );
}

// A sign-up that asks to sign in ends like a login with the password just chosen: the same
// session, tokens or cookies, lifetime bounds, audit event and webhook; and the password is
// hashed once, never checked again. Without signIn, nothing about register changes.
describe.each(testDatabases)("register with signIn on %s", (kind) => {
  let server: TestServer;
  let endpointId: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ENV });
    endpointId = (await createEndpoint(server, await adminToken(server), "http://127.0.0.1:9/hook", ["user.created", "session.created"])).id;
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  const prisma = () => server.app.database.prisma;
  const register = (extra: Record<string, unknown> = {}, username = uniqueName("signup")) =>
    server
      .gql(REGISTER_SIGN_IN, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email: `${username}@example.com`, ...extra } })
      .then((result) => ({ ...result, username }));

  /** The webhook events written for `userId`, as a receiver would get them. */
  async function webhookEventsFor(userId: string): Promise<Array<{ type: string; data: Record<string, any> }>> {
    const rows = await prisma().webhookDelivery.findMany({ where: { endpointId }, orderBy: { createdAt: "asc" } });
    return rows.map((row) => JSON.parse(row.payload)).filter((event) => event.data?.userId === userId);
  }

  it("answers auth null and starts no session unless asked", async () => {
    for (const extra of [{}, { signIn: false }, { signIn: null, cookie: true, expiresInMinutes: 60 }]) {
      const { body, headers } = await register(extra);
      expect(body.errors).toBeUndefined();
      const { userId, auth, user } = body.data.register;
      expect(auth).toBeNull();
      expect(user).toMatchObject({ lastLoginAt: null, lastSignInMethod: null });
      expect(headers.getSetCookie().filter((c) => c.startsWith("lk_"))).toEqual([]);
      expect(await prisma().session.count({ where: { userId } })).toBe(0);
      expect(await prisma().auditEvent.count({ where: { userId, type: "LOGIN_SUCCEEDED" } })).toBe(0);
      expect((await webhookEventsFor(userId)).map((event) => event.type)).toEqual(["user.created"]);
    }
  });

  it("signs in: the tokens work, the session is the caller's, the account records a PASSWORD sign-in", async () => {
    const { body, username } = await register({ signIn: true });
    expect(body.errors).toBeUndefined();
    const { userId, user, auth } = body.data.register;
    expect(auth).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), session: { current: true }, user: { id: userId, username } });
    expect(user).toMatchObject({ id: userId, lastLoginAt: expect.any(String), lastSignInMethod: "PASSWORD" });
    expect(jwtPayload(auth.accessToken)).toMatchObject({ sub: userId, sid: auth.session.id });

    const me = await server.gql(ME, {}, { token: auth.accessToken });
    expect(me.body.data.me).toMatchObject({ id: userId, lastSignInMethod: "PASSWORD" });
    const refreshed = await server.gql(REFRESH, { token: auth.refreshToken });
    expect(refreshed.body.errors).toBeUndefined();
    expect(refreshed.body.data.refreshSession.session.id).toBe(auth.session.id);
    expect(await prisma().session.count({ where: { userId } })).toBe(1);
  });

  it("audits REGISTERED and LOGIN_SUCCEEDED and writes the user.created and session.created webhook events", async () => {
    const { body } = await register({ signIn: true });
    const { userId, auth } = body.data.register;
    const events = await prisma().auditEvent.findMany({ where: { userId, type: { in: ["REGISTERED", "LOGIN_SUCCEEDED"] } } });
    expect(events.map((event) => event.type).sort()).toEqual(["LOGIN_SUCCEEDED", "REGISTERED"]);
    expect(events.find((event) => event.type === "LOGIN_SUCCEEDED")!.metadata).toMatchObject({ sessionId: auth.session.id, registered: true });
    const hooks = await webhookEventsFor(userId);
    expect(hooks.map((event) => event.type).sort()).toEqual(["session.created", "user.created"]);
    expect(hooks.find((event) => event.type === "session.created")!.data).toMatchObject({ userId, sessionId: auth.session.id });
  });

  it("cookie: true sets the sign-in cookies like login and leaves the tokens out of the body", async () => {
    const { body, headers } = await register({ signIn: true, cookie: true });
    expect(body.errors).toBeUndefined();
    const { userId, auth } = body.data.register;
    expect(auth).toMatchObject({ accessToken: null, refreshToken: null, accessTokenExpiresAt: expect.any(String) });
    const jar = cookieJar(headers);
    expect(jar.lk_access).toBeDefined();
    expect(jar.lk_refresh).toBeDefined();
    const httpOnly = headers.getSetCookie().filter((c) => c.startsWith("lk_access=") || c.startsWith("lk_refresh="));
    for (const cookie of httpOnly) expect(cookie.toLowerCase()).toContain("httponly");
    expect((await server.gql(ME, {}, { headers: { cookie: jar.lk_access } })).body.data?.me.id).toBe(userId);
    expect(JSON.stringify(body)).not.toContain(jar.lk_refresh.split("=")[1]);
  });

  it("honours expiresInMinutes within login's bounds; out of bounds is BAD_USER_INPUT and makes no account", async () => {
    const before = server.clock.now().getTime();
    const { body } = await register({ signIn: true, expiresInMinutes: 90 });
    expect(body.errors).toBeUndefined();
    const expiresAt = new Date(body.data.register.auth.accessTokenExpiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 90 * 60_000 - 1_000);
    expect(expiresAt).toBeLessThanOrEqual(server.clock.now().getTime() + 90 * 60_000 + 1_000);
    expect(jwtPayload(body.data.register.auth.accessToken).exp - jwtPayload(body.data.register.auth.accessToken).iat).toBe(90 * 60);

    for (const expiresInMinutes of [0, -5, 24 * 60 + 1]) {
      const refused = await register({ signIn: true, expiresInMinutes });
      expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT" });
      expect(await prisma().user.count({ where: { usernameNormalized: refused.username.toLowerCase() } })).toBe(0);
      // The name is still free.
      const retried = await register({ signIn: true }, refused.username);
      expect(retried.body.errors).toBeUndefined();
    }
  });

  it("hashes the password once and never verifies it: the same hashing as a sign-up without signIn", async () => {
    const hasher = server.app.services.hasher;
    const hash = jest.spyOn(hasher, "hash");
    const verify = jest.spyOn(hasher, "verify");
    try {
      const plain = await register();
      expect(plain.body.errors).toBeUndefined();
      // The password and the secret passkey.
      expect(hash).toHaveBeenCalledTimes(2);
      expect(verify).toHaveBeenCalledTimes(0);

      hash.mockClear();
      const signedIn = await register({ signIn: true });
      expect(signedIn.body.data.register.auth.accessToken).toEqual(expect.any(String));
      expect(hash).toHaveBeenCalledTimes(2);
      expect(verify).toHaveBeenCalledTimes(0);

      // Control: a login does verify, so the spy would have seen one.
      hash.mockClear();
      await login(server, signedIn.username);
      expect(verify).toHaveBeenCalledTimes(1);
      expect(hash).toHaveBeenCalledTimes(0);
    } finally {
      hash.mockRestore();
      verify.mockRestore();
    }
  });

  it("a sign-up from an organization invitation may sign in too: verified, a member, signed in", async () => {
    const owner = await signedInVerifiedUser(server);
    const { id: organizationId } = await createOrganization(server, owner);
    const email = `${uniqueName("invited")}@example.com`;
    const invited = await server.gql(INVITE_MEMBER, { organizationId, email, role: "MEMBER" }, { token: owner.token });
    expect(invited.body.errors).toBeUndefined();
    const invitationToken = await invitationTokenFromOutbox(server, email);

    const { body } = await register({ signIn: true, email, invitationToken });
    expect(body.errors).toBeUndefined();
    const { auth } = body.data.register;
    const mine = await server.gql(MY_ORGANIZATIONS, {}, { token: auth.accessToken });
    expect(mine.body.data.me.organizations).toEqual([{ role: "MEMBER", organization: expect.objectContaining({ id: organizationId }) }]);
  });

  it("a refused sign-up (taken name, weak password) signs nobody in", async () => {
    const first = await register({ signIn: true });
    const taken = await register({ signIn: true }, first.username.toUpperCase());
    expect(taken.body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "username" });
    const weak = await register({ signIn: true, password: "short" });
    expect(weak.body.errors?.[0].extensions?.code).toBe("PASSWORD_POLICY");
    expect(weak.body.data).toBeNull();
    expect(await prisma().session.count({ where: { userId: first.body.data.register.userId } })).toBe(1);
  });
});

// register's own limit (per IP) applies to the signed-in sign-up as to any other.
describe.each(testDatabases)("register with signIn under RATE_LIMIT_REGISTER on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { RATE_LIMIT_REGISTER: "2/1h" } });
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it("is RATE_LIMITED after the limit, with no account and no session", async () => {
    const input = (username: string) => ({ input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, signIn: true } });
    for (let i = 0; i < 2; i++) expect((await server.gql(REGISTER_SIGN_IN, input(uniqueName("limited")))).body.errors).toBeUndefined();
    const username = uniqueName("limited");
    const refused = await server.gql(REGISTER_SIGN_IN, input(username));
    expect(refused.body.errors?.[0].extensions?.code).toBe("RATE_LIMITED");
    expect(await server.app.database.prisma.user.count({ where: { usernameNormalized: username.toLowerCase() } })).toBe(0);
  });
});

// @latchkey/client's signUp is register with signIn: the client starts signed in, in both modes.
describe.each(testDatabases)("@latchkey/client signUp on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it.each<AuthMode>(["bearer", "cookie"])("%s mode: signed in after sign-up, and its requests are the new account's", async (mode) => {
    const transport = countingFetch({ cookies: mode === "cookie" });
    const client = createLatchkeyClient({ url: `${server.url}/graphql`, mode, fetch: transport.fetch });
    const signedInEvents: unknown[] = [];
    client.store.on("signedIn", (payload) => signedInEvents.push(payload));
    const username = uniqueName("client");
    const outcome = await client.signUp({ username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY });
    expect(outcome).toEqual({ status: "signedIn", userId: expect.any(String) });
    expect(signedInEvents).toHaveLength(1);
    if (mode === "bearer") expect(client.store.snapshot().accessToken).toEqual(expect.any(String));
    else {
      expect(client.store.snapshot()).toEqual({ signedIn: true });
      expect(transport.cookieNames()).toEqual(expect.arrayContaining(["lk_access", "lk_refresh"]));
    }
    const send = createLatchkeyFetch(client);
    const response = await send(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: ME }) });
    const body = (await response.json()) as { data?: { me?: { id: string; username: string } } };
    expect(body.data?.me).toMatchObject({ id: (outcome as { userId: string }).userId, username });

    // A refused sign-up leaves the client signed out.
    const other = createLatchkeyClient({ url: `${server.url}/graphql`, mode, fetch: countingFetch({ cookies: mode === "cookie" }).fetch });
    const refused = await other.signUp({ username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY });
    expect(refused).toMatchObject({ status: "failed", errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: "CONFLICT" }) })] });
    expect(other.store.snapshot().signedIn).toBe(false);
  });
});

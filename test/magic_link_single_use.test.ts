import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerVerifiedUser } from "./support/accounts";
import { SIGN_IN_WITH_MAGIC_LINK, queuedMagicToken, requestUnbound } from "./support/magic-link";

describe.each(testDatabases)("a sign-in link works once on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  const sessionsOf = (userId: string) => server.app.database.prisma.session.count({ where: { userId } });

  it("a second use is refused and starts no session", async () => {
    const user = await registerVerifiedUser(server);
    await requestUnbound(server, user.email);
    const token = (await queuedMagicToken(server, user.email))!;
    const before = await sessionsOf(user.id);
    const first = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
    expect(first.body.data.signInWithMagicLink.__typename).toBe("AuthPayload");
    const second = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
    expect(second.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    expect(second.body.errors?.[0].message).toMatch(/already been used/);
    expect(await sessionsOf(user.id)).toBe(before + 1);
  });

  it("two tabs opening the same link at once get one session between them", async () => {
    const user = await registerVerifiedUser(server);
    await requestUnbound(server, user.email);
    const token = (await queuedMagicToken(server, user.email))!;
    const before = await sessionsOf(user.id);
    const results = await Promise.all(Array.from({ length: 6 }, () => server.gql(SIGN_IN_WITH_MAGIC_LINK, { token })));
    const signedIn = results.filter((r) => r.body.data?.signInWithMagicLink?.__typename === "AuthPayload");
    const refused = results.filter((r) => r.body.errors?.[0].extensions?.code === "BAD_USER_INPUT");
    expect(signedIn).toHaveLength(1);
    expect(refused).toHaveLength(5);
    expect(results.every((r) => r.status < 500)).toBe(true);
    expect(await sessionsOf(user.id)).toBe(before + 1);
  });

  it("only the newest link works: asking again retires the earlier one", async () => {
    const user = await registerVerifiedUser(server);
    await requestUnbound(server, user.email);
    const older = (await queuedMagicToken(server, user.email))!;
    server.clock.advance(1_000);
    await requestUnbound(server, user.email);
    const newer = (await queuedMagicToken(server, user.email))!;
    expect(newer).not.toBe(older);
    const refused = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token: older });
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    const accepted = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token: newer });
    expect(accepted.body.data.signInWithMagicLink.user.id).toBe(user.id);
  });

  it("deleting the account erases its pending links", async () => {
    const user = await registerVerifiedUser(server);
    await requestUnbound(server, user.email);
    const token = (await queuedMagicToken(server, user.email))!;
    const { accessToken } = await login(server, user.username);
    const deleted = await server.gql(`mutation ($password: String!) { deleteAccount(password: $password) }`, { password: user.password }, { token: accessToken });
    expect(deleted.body.errors).toBeUndefined();
    expect(await server.app.database.prisma.magicLink.count({ where: { userId: user.id } })).toBe(0);
    const refused = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
  });

  it("an unknown token is BAD_USER_INPUT, never a 500", async () => {
    for (const token of ["", "x".repeat(43), "y".repeat(5000)]) {
      const { status, body } = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
      expect(status).toBe(200);
      expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
    }
  });
});

import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { signInWithCode, userWithCode } from "./support/email-code";

describe.each(testDatabases)("e-mailed sign-in codes are single use on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("signs in once; the same challenge and code then fail like a wrong code", async () => {
    const { user, challenge, code } = await userWithCode(server);
    const first = await signInWithCode(server, challenge.challengeToken, code);
    expect(first.body.data?.signInWithEmailCode.user.id).toBe(user.id);
    const second = await signInWithCode(server, challenge.challengeToken, code);
    expect(second.body.data).toBeNull();
    expect(second.body.errors?.[0]).toMatchObject({ message: "Invalid or expired code", extensions: { code: "UNAUTHENTICATED", attemptsLeft: 0 } });
    const prisma = server.app.database.prisma;
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("starts exactly one session when the right code arrives many times at once", async () => {
    const { user, challenge, code } = await userWithCode(server);
    const responses = await Promise.all(Array.from({ length: 8 }, () => signInWithCode(server, challenge.challengeToken, code)));
    const won = responses.filter((r) => r.body.data?.signInWithEmailCode?.__typename === "AuthPayload");
    const lost = responses.filter((r) => r.body.errors?.[0]?.extensions?.code === "UNAUTHENTICATED");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(7);
    const prisma = server.app.database.prisma;
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { userId: user.id, type: "LOGIN_SUCCEEDED" } })).toBe(1);
    const row = await prisma.emailCodeChallenge.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.usedAt).not.toBeNull();
  });

  it("keeps an earlier code of the same address working, each once", async () => {
    const first = await userWithCode(server);
    const { challengeToken } = (await server.gql(`mutation ($email: String!) { requestEmailCode(email: $email) { challengeToken } }`, { email: first.user.email })).body.data
      .requestEmailCode;
    // The newer challenge's code differs; the older one still signs in (mails can arrive out of order).
    const older = await signInWithCode(server, first.challenge.challengeToken, first.code);
    expect(older.body.data?.signInWithEmailCode.__typename).toBe("AuthPayload");
    // A code is bound to its own challenge.
    const crossed = await signInWithCode(server, challengeToken, first.code);
    expect(crossed.body.errors?.[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", attemptsLeft: 4 });
  });
});

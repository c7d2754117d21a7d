import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { requestCode, signInWithCode, userWithCode, wrongCode } from "./support/email-code";

describe.each(testDatabases)("guessing e-mailed sign-in codes on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  it("takes four wrong codes and still the right one", async () => {
    const { user, challenge, code } = await userWithCode(server);
    for (let i = 1; i <= 4; i++) {
      const { body } = await signInWithCode(server, challenge.challengeToken, wrongCode(code, i));
      expect(body.errors?.[0]).toMatchObject({ message: "Invalid or expired code", extensions: { code: "UNAUTHENTICATED", attemptsLeft: 5 - i } });
    }
    const right = await signInWithCode(server, challenge.challengeToken, code);
    expect(right.body.data?.signInWithEmailCode.user.id).toBe(user.id);
    const row = await server.app.database.prisma.emailCodeChallenge.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.failedAttempts).toBe(4);
  });

  it("spends the challenge at the fifth wrong code: the right one fails afterwards", async () => {
    const { user, challenge, code } = await userWithCode(server);
    for (let i = 1; i <= 5; i++) await signInWithCode(server, challenge.challengeToken, wrongCode(code, i));
    const right = await signInWithCode(server, challenge.challengeToken, code);
    expect(right.body.errors?.[0]).toMatchObject({ message: "Invalid or expired code", extensions: { code: "UNAUTHENTICATED", attemptsLeft: 0 } });
    const prisma = server.app.database.prisma;
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await prisma.emailCodeChallenge.findFirstOrThrow({ where: { userId: user.id } })).failedAttempts).toBe(5);
    // A new challenge works again.
    const fresh = await requestCode(server, user.email);
    const mail = await prisma.outboxMail.findFirstOrThrow({ where: { to: user.email }, orderBy: { createdAt: "desc" } });
    const freshCode = /^(\d{8})$/m.exec(mail.text)![1];
    expect((await signInWithCode(server, fresh.challengeToken, freshCode)).body.data?.signInWithEmailCode.user.id).toBe(user.id);
  });

  it("compares at most five of many codes sent at once; the right code afterwards finds the challenge spent", async () => {
    const { user, challenge, code } = await userWithCode(server);
    // 24 wrong codes at once: a try is counted before its code is compared, so only five are
    // ever compared (one EMAIL_CODE_FAILED each) and the rest are refused unread.
    const guesses = [...Array.from({ length: 24 }, (_, i) => wrongCode(code, i + 1))];
    const wrong = await Promise.all(guesses.map((guess) => signInWithCode(server, challenge.challengeToken, guess)));
    const right = await signInWithCode(server, challenge.challengeToken, code);
    const left = wrong.map((r) => r.body.errors?.[0]?.extensions?.attemptsLeft as number);
    expect(wrong.every((r) => r.body.errors?.[0]?.extensions?.code === "UNAUTHENTICATED")).toBe(true);
    // Exactly five tries were counted: they answered 4, 3, 2, 1 and 0 tries left; the rest 0 (spent).
    expect(left.filter((n) => n > 0).sort()).toEqual([1, 2, 3, 4]);
    expect(right.body.errors?.[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", attemptsLeft: 0 });
    const prisma = server.app.database.prisma;
    expect((await prisma.emailCodeChallenge.findFirstOrThrow({ where: { userId: user.id } })).failedAttempts).toBe(5);
    expect(await prisma.auditEvent.count({ where: { userId: user.id, type: "EMAIL_CODE_FAILED" } })).toBe(5);
    expect(await prisma.auditEvent.count({ where: { userId: user.id, type: "EMAIL_CODE_EXHAUSTED" } })).toBe(1);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("lets the right code win among concurrent wrong ones only while fewer than five were counted", async () => {
    const { user, challenge, code } = await userWithCode(server);
    const mixed = [wrongCode(code, 1), wrongCode(code, 2), code, wrongCode(code, 3)];
    const responses = await Promise.all(mixed.map((guess) => signInWithCode(server, challenge.challengeToken, guess)));
    // Four tries in all fit under the cap: the right one signs in, whatever the order.
    expect(responses[2].body.data?.signInWithEmailCode.user.id).toBe(user.id);
    expect(await server.app.database.prisma.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("answers an unknown challenge token like a spent one", async () => {
    const { body } = await signInWithCode(server, "A".repeat(43), "12345678");
    expect(body.errors?.[0]).toMatchObject({ message: "Invalid or expired code", extensions: { code: "UNAUTHENTICATED", attemptsLeft: 0 } });
    const long = await signInWithCode(server, "A".repeat(5000), "12345678");
    expect(long.body.errors?.[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", attemptsLeft: 0 });
  });
});

import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { requestCode, signInWithCode, userWithCode, codeFromOutbox } from "./support/email-code";
import { registerVerifiedUser } from "./support/accounts";

describe.each(testDatabases)("e-mailed sign-in codes expire on %s", (kind) => {
  describe("by default after 10 minutes", () => {
    let server: TestServer;
    beforeAll(async () => {
      // The per-address window decides how long expired challenges are kept.
      server = await startTestServer(kind, { env: { RATE_LIMIT_EMAIL_CODE_ADDRESS: "1000/1h" } });
    });
    afterAll(() => server.stop());

    it("works just before 10 minutes and fails just after", async () => {
      const early = await userWithCode(server);
      const late = await userWithCode(server);
      server.clock.advance(10 * 60_000 - 5_000);
      const inTime = await signInWithCode(server, early.challenge.challengeToken, early.code);
      expect(inTime.body.data?.signInWithEmailCode.__typename).toBe("AuthPayload");
      server.clock.advance(10_000);
      const tooLate = await signInWithCode(server, late.challenge.challengeToken, late.code);
      expect(tooLate.body.errors?.[0]).toMatchObject({ message: "Invalid or expired code", extensions: { code: "UNAUTHENTICATED", attemptsLeft: 0 } });
      expect(await server.app.database.prisma.session.count({ where: { userId: late.user.id } })).toBe(0);
    });

    it("prunes expired challenges once the per-address window has passed, and no live one", async () => {
      const { user } = await userWithCode(server);
      const prisma = server.app.database.prisma;
      server.clock.advance(30 * 60_000);
      const live = await userWithCode(server);
      await server.app.services.emailCode.prune();
      // Expired, but still counted by the per-address limit (1 hour here, as by default).
      expect(await prisma.emailCodeChallenge.count({ where: { userId: user.id } })).toBe(1);
      // Both expired more than the window ago (the live one at 40 minutes in).
      server.clock.advance(71 * 60_000);
      const fresh = await userWithCode(server);
      expect(await server.app.services.emailCode.prune()).toBeGreaterThanOrEqual(2);
      expect(await prisma.emailCodeChallenge.count({ where: { userId: { in: [user.id, live.user.id] } } })).toBe(0);
      expect(await prisma.emailCodeChallenge.count({ where: { userId: fresh.user.id } })).toBe(1);
    });
  });

  describe("after EMAIL_CODE_TTL", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, { env: { EMAIL_CODE_TTL: "2m" } });
    });
    afterAll(() => server.stop());

    it("answers the configured lifetime and keeps to it", async () => {
      const user = await registerVerifiedUser(server);
      const before = server.clock.now().getTime();
      const challenge = await requestCode(server, user.email);
      const code = await codeFromOutbox(server, user.email);
      expect(new Date(challenge.expiresAt).getTime() - before).toBeLessThanOrEqual(2 * 60_000 + 5_000);
      expect(new Date(challenge.expiresAt).getTime() - before).toBeGreaterThan(60_000);
      const mail = await server.app.database.prisma.outboxMail.findFirstOrThrow({ where: { to: user.email }, orderBy: { createdAt: "desc" } });
      expect(mail.text).toContain("2 minutes");
      server.clock.advance(2 * 60_000 + 1_000);
      const { body } = await signInWithCode(server, challenge.challengeToken, code);
      expect(body.errors?.[0].extensions).toMatchObject({ code: "UNAUTHENTICATED", attemptsLeft: 0 });
    });
  });
});

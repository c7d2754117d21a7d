import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerVerifiedUser } from "./support/accounts";
import { SIGN_IN_WITH_MAGIC_LINK, queuedMagicToken, requestUnbound } from "./support/magic-link";

describe.each(testDatabases)("sign-in link lifetime on %s", (kind) => {
  describe("default (15 minutes)", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind);
    }, START_TIMEOUT_MS);
    afterAll(() => server.stop());

    it("works at 14 minutes and is refused past 15", async () => {
      const early = await registerVerifiedUser(server);
      const late = await registerVerifiedUser(server);
      await requestUnbound(server, early.email);
      await requestUnbound(server, late.email);
      const earlyToken = (await queuedMagicToken(server, early.email))!;
      const lateToken = (await queuedMagicToken(server, late.email))!;

      server.clock.advance(14 * 60_000);
      const accepted = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token: earlyToken });
      expect(accepted.body.data.signInWithMagicLink.user.id).toBe(early.id);

      server.clock.advance(60_000 + 1_000);
      const refused = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token: lateToken });
      expect(refused.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
      expect(refused.body.errors?.[0].message).toMatch(/expired/);
      const row = await server.app.database.prisma.magicLink.findFirst({ where: { userId: late.id } });
      expect(row?.usedAt).toBeNull();
    });

    it("the maintenance job prunes links once past their lifetime and the per-address window", async () => {
      const user = await registerVerifiedUser(server);
      await requestUnbound(server, user.email);
      const prisma = server.app.database.prisma;
      expect(await prisma.magicLink.count({ where: { userId: user.id } })).toBe(1);
      await server.app.services.magicLinks.prune();
      expect(await prisma.magicLink.count({ where: { userId: user.id } })).toBe(1);
      server.clock.advance(2 * 3600_000);
      await server.app.services.magicLinks.prune();
      expect(await prisma.magicLink.count({ where: { userId: user.id } })).toBe(0);
    });
  });

  describe("MAGIC_LINK_TTL=2m", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, { env: { MAGIC_LINK_TTL: "2m" } });
    }, START_TIMEOUT_MS);
    afterAll(() => server.stop());

    it("is refused after two minutes", async () => {
      const user = await registerVerifiedUser(server);
      await requestUnbound(server, user.email);
      const token = (await queuedMagicToken(server, user.email))!;
      server.clock.advance(2 * 60_000 + 1_000);
      const refused = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token });
      expect(refused.body.errors?.[0].message).toMatch(/expired/);
    });
  });
});

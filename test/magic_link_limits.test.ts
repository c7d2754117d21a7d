import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerVerifiedUser } from "./support/accounts";
import { REQUEST_MAGIC_LINK, SIGN_IN_WITH_MAGIC_LINK, queuedMagicLinks, queuedMagicToken } from "./support/magic-link";

describe.each(testDatabases)("sign-in link limits on %s", (kind) => {
  describe("per address and IP, and per IP", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, {
        env: { RATE_LIMIT_REQUEST_MAGIC_LINK: "2/1h", RATE_LIMIT_REQUEST_MAGIC_LINK_IP: "5/1h", RATE_LIMIT_SIGN_IN_WITH_MAGIC_LINK: "3/1m" },
      });
    }, START_TIMEOUT_MS);
    afterAll(() => server.stop());

    it("RATE_LIMITED past RATE_LIMIT_REQUEST_MAGIC_LINK for one address, alike for an unknown one", async () => {
      const user = await registerVerifiedUser(server);
      for (const email of [user.email, "nobody-limited@example.com"]) {
        for (let i = 0; i < 2; i++) {
          const { body } = await server.gql(REQUEST_MAGIC_LINK, { email });
          expect(body).toEqual({ data: { requestMagicLink: true } });
        }
        const { body } = await server.gql(REQUEST_MAGIC_LINK, { email });
        expect(body.errors?.[0].extensions?.code).toBe("RATE_LIMITED");
        expect(body.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
      }
      expect(await queuedMagicLinks(server, user.email)).toBe(2);
      // Four calls so far from this IP; the fifth is the last the IP gets.
      const fifth = await server.gql(REQUEST_MAGIC_LINK, { email: "another-one@example.com" });
      expect(fifth.body.data?.requestMagicLink).toBe(true);
      const sixth = await server.gql(REQUEST_MAGIC_LINK, { email: "yet-another@example.com" });
      expect(sixth.body.errors?.[0].extensions?.code).toBe("RATE_LIMITED");
    });

    it("RATE_LIMITED past RATE_LIMIT_SIGN_IN_WITH_MAGIC_LINK", async () => {
      const codes: Array<string | undefined> = [];
      for (let i = 0; i < 4; i++) {
        const { body } = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token: `guess-${i}` });
        codes.push(body.errors?.[0].extensions?.code);
      }
      expect(codes).toEqual(["BAD_USER_INPUT", "BAD_USER_INPUT", "BAD_USER_INPUT", "RATE_LIMITED"]);
    });
  });

  describe("per address across callers (RATE_LIMIT_MAGIC_LINK_RECIPIENT)", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, { env: { RATE_LIMIT_MAGIC_LINK_RECIPIENT: "2/1h", TRUST_PROXY: "1" } });
    }, START_TIMEOUT_MS);
    afterAll(() => server.stop());

    it("answers true but mails no more links to the address within the window, then mails again", async () => {
      const user = await registerVerifiedUser(server);
      for (let i = 0; i < 4; i++) {
        const { body } = await server.gql(REQUEST_MAGIC_LINK, { email: user.email }, { headers: { "x-forwarded-for": `203.0.113.${i}` } });
        expect(body).toEqual({ data: { requestMagicLink: true } });
      }
      expect(await queuedMagicLinks(server, user.email)).toBe(2);
      // The requests held back did not retire the link the owner has.
      const pending = (await queuedMagicToken(server, user.email))!;
      const { body } = await server.gql(SIGN_IN_WITH_MAGIC_LINK, { token: pending });
      expect(body.data.signInWithMagicLink.user.id).toBe(user.id);
      server.clock.advance(3600_000 + 1_000);
      await server.gql(REQUEST_MAGIC_LINK, { email: user.email });
      expect(await queuedMagicLinks(server, user.email)).toBe(3);
    });
  });
});

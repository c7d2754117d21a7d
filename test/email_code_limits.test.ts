import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerVerifiedUser, uniqueName } from "./support/accounts";
import { REQUEST_EMAIL_CODE, requestCode, signInWithCode } from "./support/email-code";

const codes = (responses: Array<{ body: any }>) => responses.map((r) => r.body.errors?.[0]?.extensions?.code ?? "ok");

describe.each(testDatabases)("limits on e-mailed sign-in codes on %s", (kind) => {
  describe("per address and IP, per IP, and on guessing", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, {
        env: { TRUST_PROXY: "true", RATE_LIMIT_REQUEST_EMAIL_CODE: "2/1h", RATE_LIMIT_REQUEST_EMAIL_CODE_IP: "4/1h", RATE_LIMIT_SIGN_IN_WITH_EMAIL_CODE: "3/1h" },
      });
    });
    afterAll(() => server.stop());

    it("limits requests per address and IP (any spelling), and per IP over addresses", async () => {
      const from = { "x-forwarded-for": "198.51.100.7" };
      const user = await registerVerifiedUser(server);
      const other = `${uniqueName("nobody")}@example.com`;
      const responses = [];
      for (const email of [user.email, user.email.toUpperCase(), user.email, other, other]) {
        responses.push(await server.gql(REQUEST_EMAIL_CODE, { email }, { headers: from }));
      }
      expect(codes(responses)).toEqual(["ok", "ok", "RATE_LIMITED", "ok", "ok"]);
      expect(responses[2].body.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
      // The IP has spent its four; another address from it is refused, another IP is not.
      const fifth = await server.gql(REQUEST_EMAIL_CODE, { email: `${uniqueName("third")}@example.com` }, { headers: from });
      expect(codes([fifth])).toEqual(["RATE_LIMITED"]);
      const elsewhere = await server.gql(REQUEST_EMAIL_CODE, { email: user.email }, { headers: { "x-forwarded-for": "198.51.100.8" } });
      expect(codes([elsewhere])).toEqual(["ok"]);
    });

    it("limits sign-in tries per IP across challenges", async () => {
      const from = { "x-forwarded-for": "203.0.113.9" };
      const tries = [];
      for (let i = 0; i < 4; i++) {
        const { challengeToken } = await requestCode(server, `${uniqueName("guess")}@example.com`, { "x-forwarded-for": `192.0.2.${i + 1}` });
        tries.push(await server.gql(`mutation ($t: String!) { signInWithEmailCode(challengeToken: $t, code: "12345678") { __typename } }`, { t: challengeToken }, { headers: from }));
      }
      expect(codes(tries)).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]);
    });
  });

  describe("per address from any IP (RATE_LIMIT_EMAIL_CODE_ADDRESS, counted in the database)", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, { env: { TRUST_PROXY: "true", RATE_LIMIT_EMAIL_CODE_ADDRESS: "3/1h" } });
    });
    afterAll(() => server.stop());

    it("refuses the fourth challenge for an address within the hour, alike with and without an account", async () => {
      const user = await registerVerifiedUser(server);
      const nobody = `${uniqueName("nobody")}@example.com`;
      const answers: Record<string, string[]> = {};
      for (const email of [user.email, nobody]) {
        const responses = [];
        for (let i = 0; i < 4; i++) {
          responses.push(await server.gql(REQUEST_EMAIL_CODE, { email }, { headers: { "x-forwarded-for": `198.51.100.${i + 20}` } }));
        }
        answers[email] = codes(responses);
        expect(responses[3].body.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(3500);
      }
      expect(answers[user.email]).toEqual(["ok", "ok", "ok", "RATE_LIMITED"]);
      expect(answers[nobody]).toEqual(answers[user.email]);
      const prisma = server.app.database.prisma;
      expect(await prisma.outboxMail.count({ where: { to: user.email, subject: "Your sign-in code" } })).toBe(3);

      // An hour later the address may get codes again.
      server.clock.advance(60 * 60_000 + 1_000);
      const later = await server.gql(REQUEST_EMAIL_CODE, { email: user.email }, { headers: { "x-forwarded-for": "198.51.100.99" } });
      expect(codes([later])).toEqual(["ok"]);
    });

    it("holds the per-address limit under concurrent requests", async () => {
      const user = await registerVerifiedUser(server);
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) => server.gql(REQUEST_EMAIL_CODE, { email: user.email }, { headers: { "x-forwarded-for": `198.51.100.${i + 40}` } })),
      );
      expect(codes(responses).filter((code) => code === "ok")).toHaveLength(3);
      expect(codes(responses).filter((code) => code === "RATE_LIMITED")).toHaveLength(5);
      // Each granted challenge is a working one.
      const granted = responses.find((r) => r.body.data?.requestEmailCode)!.body.data.requestEmailCode;
      const { body } = await signInWithCode(server, granted.challengeToken, "00000000");
      expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    });
  });
});

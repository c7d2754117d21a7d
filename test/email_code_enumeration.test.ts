import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser, registerVerifiedUser, uniqueName } from "./support/accounts";
import { REQUEST_EMAIL_CODE, requestCode, signInWithCode } from "./support/email-code";

/** How often a sample from `a` is faster than one from `b` (0.5 when both come from one distribution). */
const chanceFaster = (a: number[], b: number[]) => {
  let wins = 0;
  for (const x of a) for (const y of b) wins += x < y ? 1 : x === y ? 0.5 : 0;
  return wins / (a.length * b.length);
};

// requestEmailCode must not tell whether an address has an account: not by its answer, not by
// what a wrong code answers, not by its timing.
describe.each(testDatabases)("no account enumeration through e-mailed codes on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { RATE_LIMIT_EMAIL_CODE_ADDRESS: "1000/1h" } });
  });
  afterAll(() => server.stop());

  it("answers a verified account, an unverified one, a disabled one and no account alike", async () => {
    const verified = await registerVerifiedUser(server);
    const unverified = await registerUser(server);
    const disabled = await registerVerifiedUser(server);
    await server.app.database.prisma.user.update({ where: { id: disabled.id }, data: { disabled: true } });
    const addresses = [verified.email, unverified.email, disabled.email, `${uniqueName("nobody")}@example.com`];
    const shapes = [];
    for (const email of addresses) {
      const before = server.clock.now().getTime();
      const { status, body } = await server.gql(REQUEST_EMAIL_CODE, { email });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      const challenge = body.data.requestEmailCode;
      shapes.push({
        keys: Object.keys(challenge),
        token: /^[A-Za-z0-9_-]{43}$/.test(challenge.challengeToken),
        codeLength: challenge.codeLength,
        lifetime: Math.round((new Date(challenge.expiresAt).getTime() - before) / 60_000),
      });
      // Wrong codes answer alike too, and count down alike.
      const wrong = await signInWithCode(server, challenge.challengeToken, "00000000");
      const again = await signInWithCode(server, challenge.challengeToken, "00000001");
      shapes.push([wrong.body, again.body].map((b) => ({ data: b.data, errors: b.errors?.map((e) => ({ message: e.message, extensions: e.extensions })) })));
    }
    for (const shape of shapes.slice(2)) expect(shape).toEqual(shapes[shapes.indexOf(shape) % 2]);
    expect(shapes[0]).toEqual({ keys: ["challengeToken", "expiresAt", "codeLength"], token: true, codeLength: 8, lifetime: 10 });
    // Only the verified, enabled account was mailed.
    const prisma = server.app.database.prisma;
    const mailed = await prisma.outboxMail.findMany({ where: { to: { in: addresses }, subject: "Your sign-in code" } });
    expect(mailed.map((mail) => mail.to)).toEqual([verified.email]);
  });

  it("answers an address without an account neither reliably faster nor slower than one with", async () => {
    const user = await registerVerifiedUser(server);
    const nobody = `${uniqueName("nobody")}@example.com`;
    const time = async (email: string) => {
      const started = process.hrtime.bigint();
      const { body } = await server.gql(REQUEST_EMAIL_CODE, { email });
      expect(body.data.requestEmailCode.codeLength).toBe(8);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    // Warm up both paths, then interleave so load on the machine hits both alike.
    await time(user.email);
    await time(nobody);
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 40; i++) {
      known.push(await time(user.email));
      unknown.push(await time(nobody));
    }
    const chance = chanceFaster(unknown, known);
    expect(chance).toBeGreaterThan(0.1);
    expect(chance).toBeLessThan(0.9);
    // The known address did get its codes (the comparison is between the two real paths).
    expect(await server.app.database.prisma.outboxMail.count({ where: { to: user.email, subject: "Your sign-in code" } })).toBe(41);
  });

  it("never creates an account for an unknown address", async () => {
    const email = `${uniqueName("nobody")}@example.com`;
    const challenge = await requestCode(server, email);
    const { body } = await signInWithCode(server, challenge.challengeToken, "12345678");
    expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(await server.app.database.prisma.user.count({ where: { emailNormalized: email } })).toBe(0);
  });
});

import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser, registerVerifiedUser } from "./support/accounts";
import { ADMIN_ENV, adminToken } from "./support/admin";
import { REQUEST_MAGIC_LINK, queuedMagicLinks, setCookie } from "./support/magic-link";

/** How often a sample from `a` is faster than one from `b` (0.5 when both come from one distribution). */
const chanceFaster = (a: number[], b: number[]) => {
  let wins = 0;
  for (const x of a) for (const y of b) wins += x < y ? 1 : x === y ? 0.5 : 0;
  return wins / (a.length * b.length);
};

// requestMagicLink must not tell whether an address has an account: not by its answer, its
// headers or its time. Mail goes through the outbox, off the response path.
describe.each(testDatabases)("sign-in links tell nothing about accounts on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: ADMIN_ENV });
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  it("answers alike for a verified, an unverified, a disabled and an unknown address", async () => {
    const verified = await registerVerifiedUser(server);
    const unverified = await registerUser(server);
    const disabled = await registerVerifiedUser(server);
    const admin = await adminToken(server);
    await server.gql(`mutation ($id: ID!) { setUserDisabled(userId: $id, disabled: true) { id } }`, { id: disabled.id }, { token: admin });

    const answers = [];
    for (const email of [verified.email, unverified.email, disabled.email, "nobody-here@example.com"]) {
      const { status, body, headers } = await server.gql(REQUEST_MAGIC_LINK, { email }, { headers: { origin: "http://localhost:4000" } });
      // The binding cookie is set for every address, known or not.
      answers.push({ status, body, cookie: setCookie(headers, "lk_magic") !== undefined });
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]).toEqual({ status: 200, body: { data: { requestMagicLink: true } }, cookie: true });
    expect(await queuedMagicLinks(server, verified.email)).toBe(1);
    expect(await queuedMagicLinks(server, unverified.email)).toBe(0);
    expect(await queuedMagicLinks(server, disabled.email)).toBe(0);
    expect(await queuedMagicLinks(server, "nobody-here@example.com")).toBe(0);
  });

  it("answers an unknown address neither reliably faster nor slower than a known one", async () => {
    const user = await registerVerifiedUser(server);
    const time = async (email: string) => {
      const started = process.hrtime.bigint();
      const { body } = await server.gql(REQUEST_MAGIC_LINK, { email });
      expect(body).toEqual({ data: { requestMagicLink: true } });
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    // Warm up both paths, then interleave so load on the machine hits both alike.
    await time(user.email);
    await time("nobody-warm@example.com");
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 40; i++) {
      known.push(await time(user.email));
      unknown.push(await time(`nobody-${i}@example.com`));
    }
    const chance = chanceFaster(unknown, known);
    expect(chance).toBeGreaterThan(0.1);
    expect(chance).toBeLessThan(0.9);
  }, 120_000);
});

import { startTestServer, type TestServer } from "./support/test-server";
import { LOGIN, registerUser } from "./support/accounts";

/** How often a sample from `a` is faster than one from `b` (0.5 when both come from one distribution). */
const chanceFaster = (a: number[], b: number[]) => {
  let wins = 0;
  for (const x of a) for (const y of b) wins += x < y ? 1 : x === y ? 0.5 : 0;
  return wins / (a.length * b.length);
};

// Response time must not tell whether an account exists. The oracle this guards against is an
// unknown identifier skipping the password hash: those answers come back about twice as fast,
// so nearly every one beats a wrong-password answer. Comparing ranks rather than medians keeps
// the test steady when another test file loads the machine: the requests are interleaved, so
// load slows both kinds alike and the chance stays near one half.
describe("login timing", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("postgres", { env: { LOGIN_LOCKOUT_THRESHOLD: "1000" } });
  });
  afterAll(() => server.stop());

  it("answers an unknown user neither reliably faster nor slower than a wrong password", async () => {
    const user = await registerUser(server);
    const time = async (identifier: string) => {
      const started = process.hrtime.bigint();
      const { body } = await server.gql(LOGIN, { input: { identifier, password: "not-the-password-123" } });
      expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    // Warm up both paths, then interleave so load on the machine hits both alike.
    await time(user.username);
    await time("nobody_at_all");
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 40; i++) {
      known.push(await time(user.username));
      unknown.push(await time(`nobody_${i}`));
    }
    const chance = chanceFaster(unknown, known);
    expect(chance).toBeGreaterThan(0.1);
    expect(chance).toBeLessThan(0.9);
  });
});

import { startTestServer, type TestServer } from "./support/test-server";
import { LOGIN, registerUser } from "./support/accounts";

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2;
};

// Response time must not tell whether an account exists.
describe("login timing", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("postgres", { env: { LOGIN_LOCKOUT_THRESHOLD: "1000" } });
  });
  afterAll(() => server.stop());

  it("takes about as long for an unknown user as for a wrong password (medians within 20%)", async () => {
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
    for (let i = 0; i < 20; i++) {
      known.push(await time(user.username));
      unknown.push(await time(`nobody_${i}`));
    }
    const [k, u] = [median(known), median(unknown)];
    expect(Math.abs(k - u) / Math.max(k, u)).toBeLessThan(0.2);
  });
});

import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, registerUser } from "./support/accounts";

// Guessing passwords against one account must stop quickly, without letting an attacker
// keep the owner out.
describe.each(testDatabases)("login lockout on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { TRUST_PROXY: "true" } });
  });
  afterAll(() => server.stop());

  const attempt = (identifier: string, password: string, ip = "203.0.113.9") =>
    server.gql(LOGIN, { input: { identifier, password } }, { headers: { "x-forwarded-for": ip } });
  const codeOf = (result: Awaited<ReturnType<typeof attempt>>) => result.body.errors?.[0]?.extensions?.code ?? "OK";

  it("locks before the 12th of 12 wrong passwords, and refuses the right one until the lock ends", async () => {
    const user = await registerUser(server);
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) codes.push(codeOf(await attempt(user.username, `wrong-password-${i}`)));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill("UNAUTHENTICATED"));
    expect(codes.slice(5)).toEqual(Array(7).fill("ACCOUNT_LOCKED"));

    const locked = await attempt(user.username, user.password);
    expect(locked.body.errors?.[0].extensions).toEqual({ code: "ACCOUNT_LOCKED", retryAfterSeconds: expect.any(Number) });
    const wait = locked.body.errors![0].extensions!.retryAfterSeconds as number;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);

    server.clock.advance(wait * 1000 - 2_000);
    expect(codeOf(await attempt(user.username, user.password))).toBe("ACCOUNT_LOCKED");
    server.clock.advance(3_000);
    expect(codeOf(await attempt(user.username, user.password))).toBe("OK");
  });

  it("doubles the lock as failures keep coming, up to the cap", async () => {
    const user = await registerUser(server);
    const lockAfterFailures = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const result = await attempt(user.username, "still-wrong-password");
        if (codeOf(result) === "ACCOUNT_LOCKED") return result.body.errors![0].extensions!.retryAfterSeconds as number;
      }
      return (await attempt(user.username, "still-wrong-password")).body.errors![0].extensions!.retryAfterSeconds as number;
    };
    const first = await lockAfterFailures(5);
    server.clock.advance(first * 1000 + 1_000);
    // Failures 6..9 relock for the same minute; the 10th doubles it.
    let wait = first;
    for (let i = 0; i < 5; i++) {
      await attempt(user.username, "still-wrong-password");
      wait = (await attempt(user.username, "still-wrong-password")).body.errors![0].extensions!.retryAfterSeconds as number;
      server.clock.advance(wait * 1000 + 1_000);
    }
    expect(wait).toBeGreaterThan(90);
    expect(wait).toBeLessThanOrEqual(15 * 60);
  });

  it("locks an identifier that matches no account the same way, revealing nothing", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push(codeOf(await attempt("ghost_account_name", `guess-${i}`)));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill("UNAUTHENTICATED"));
    expect(codes.slice(5)).toEqual(["ACCOUNT_LOCKED", "ACCOUNT_LOCKED"]);
  });

  it("does not let an attacker elsewhere lock the owner out of an IP they recently signed in from", async () => {
    const user = await registerUser(server);
    const ownerIp = "198.51.100.7";
    expect(codeOf(await attempt(user.username, user.password, ownerIp))).toBe("OK");
    for (let i = 0; i < 8; i++) await attempt(user.username, `attack-${i}`, "192.0.2.66");
    expect(codeOf(await attempt(user.username, user.password, "192.0.2.66"))).toBe("ACCOUNT_LOCKED");
    expect(codeOf(await attempt(user.username, user.password, ownerIp))).toBe("OK");
  });

  it("audits the lock with account and IP, and no password", async () => {
    const user = await registerUser(server);
    for (let i = 0; i < 5; i++) await attempt(user.username, `secret-guess-${i}`);
    const events = await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id, type: "ACCOUNT_LOCKED" } });
    expect(events).toHaveLength(1);
    expect(events[0].ip).toBe("203.0.113.9");
    const failures = await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id, type: "LOGIN_FAILED" } });
    expect(failures).toHaveLength(5);
    expect(failures[0].metadata).toMatchObject({ identifier: user.username });
    expect(JSON.stringify([...events, ...failures])).not.toContain("secret-guess");
  });
});

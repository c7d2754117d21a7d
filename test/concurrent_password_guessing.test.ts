import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { startTwoWorkers, type ServerProcess } from "./support/server-process";
import { codeOf, postGraphQL } from "./support/process-client";
import { LOGIN, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, registerUser } from "./support/accounts";

const THRESHOLD = 5; // the default LOGIN_LOCKOUT_THRESHOLD
const GUESSES = 30;

/** GUESSES wrong passwords for one account, all sent at once, naming it by username, e-mail and id in turn. */
const identifiersFor = (user: { id: string; username: string; email: string }) =>
  Array.from({ length: GUESSES }, (_, i) => [user.username, user.email.toUpperCase(), user.id][i % 3]);

// The lockout must stop password guessing after THRESHOLD checks, however many guesses arrive
// at once: a check that only reads the failure count before hashing lets every request sent
// together through before the first failure is written.
describe.each(testDatabases)("password guesses sent all at once on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    // No rate limit in the way: only the lockout is under test.
    server = await startTestServer(kind, { env: { RATE_LIMIT_LOGIN: "off", RATE_LIMIT_LOGIN_IP: "off" } });
  });
  afterAll(() => server.stop());

  const guessAll = async (identifiers: string[]) => {
    const services = server.app.services;
    const verify = jest.spyOn(services.credentials, "verify");
    const dummy = jest.spyOn(services.credentials, "dummyVerify");
    try {
      const results = await Promise.all(
        identifiers.map((identifier, i) => server.gql(LOGIN, { input: { identifier, password: `wrong-guess-number-${i}` } })),
      );
      const codes = results.map((r) => r.body.errors?.[0]?.extensions?.code ?? "OK");
      return { codes, checks: verify.mock.calls.length + dummy.mock.calls.length };
    } finally {
      verify.mockRestore();
      dummy.mockRestore();
    }
  };

  it(`checks at most ${THRESHOLD} of ${GUESSES} simultaneous wrong passwords for one account, however it is named`, async () => {
    const user = await registerUser(server);
    const { codes, checks } = await guessAll(identifiersFor(user));
    expect(checks).toBeLessThanOrEqual(THRESHOLD);
    // Every guess that was checked failed as such; every other one was refused unchecked.
    expect(codes.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(checks);
    expect(codes.filter((c) => c === "ACCOUNT_LOCKED")).toHaveLength(GUESSES - checks);
    // Only the failures that were checked count; refused guesses leave nothing behind.
    const failures = await server.app.database.prisma.loginFailure.count({ where: { userId: user.id } });
    expect(failures).toBe(checks);
  });

  it("does the same for an identifier that matches no account, still spending a hash on each check", async () => {
    const { codes, checks } = await guessAll(Array(GUESSES).fill(`ghost_${randomBytes(4).toString("hex")}`));
    expect(checks).toBeLessThanOrEqual(THRESHOLD);
    expect(codes.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(checks);
    expect(codes.filter((c) => c === "ACCOUNT_LOCKED")).toHaveLength(GUESSES - checks);
  });

  it("still lets the right password in when nothing is guessing, and leaves no failure behind", async () => {
    const user = await registerUser(server);
    const results = await Promise.all([user.username, user.email, user.id].map((identifier) => server.gql(LOGIN, { input: { identifier, password: user.password } })));
    expect(results.map((r) => r.body.data?.login?.__typename)).toEqual(["AuthPayload", "AuthPayload", "AuthPayload"]);
    expect(await server.app.database.prisma.loginFailure.count({ where: { userId: user.id } })).toBe(0);
  });
});

// The same with two server processes (WORKERS=2) on one PostgreSQL: the claim is in the
// database, so no process can check a guess the other has already accounted for.
describe("password guesses sent all at once to two server processes (WORKERS=2, PostgreSQL)", () => {
  let server: ServerProcess & { databaseUrl: string };
  beforeAll(async () => {
    server = await startTwoWorkers("guessing", { RATE_LIMIT_LOGIN: "off", RATE_LIMIT_LOGIN_IP: "off" });
  }, 120_000);
  afterAll(() => server?.stop());

  /** Password checks made for the account: each one that failed wrote one LOGIN_FAILED event. */
  const checksFor = async (userId: string) => {
    const client = new Client({ connectionString: server.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE type = 'LOGIN_FAILED' AND "userId" = $1`, [userId]);
      return rows[0].n as number;
    } finally {
      await client.end();
    }
  };

  it(`checks at most ${THRESHOLD} of ${GUESSES} simultaneous wrong passwords across both processes`, async () => {
    const username = `guessed_${randomBytes(3).toString("hex")}`;
    const registered = await postGraphQL(server.url, REGISTER, {
      input: { username, email: `${username}@example.com`, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY },
    });
    expect(registered.body.errors).toBeUndefined();
    const user = { id: registered.body.data.register.userId as string, username, email: `${username}@example.com` };

    const codes = await Promise.all(
      identifiersFor(user).map((identifier, i) =>
        postGraphQL(server.url, LOGIN, { input: { identifier, password: `wrong-guess-number-${i}` } }).then((r) => codeOf(r.body)),
      ),
    );
    const checks = await checksFor(user.id);
    expect(checks).toBeLessThanOrEqual(THRESHOLD);
    expect(codes.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(checks);
    expect(codes.filter((c) => c === "ACCOUNT_LOCKED")).toHaveLength(GUESSES - checks);
  }, 60_000);
});

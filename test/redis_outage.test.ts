import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPostgresDatabase } from "./support/databases";
import { startPrivateRedis, type PrivateRedis } from "./support/private-services";
import { startServerProcess, type ServerProcess } from "./support/server-process";
import { codeOf, metricValue, postGraphQL } from "./support/process-client";
import { LOGIN, ME, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD } from "./support/accounts";

const CACHE_HITS = 'latchkey_session_cache_lookups_total{result="hit"}';
const RATE_LIMITS_IN_MEMORY = "Redis unavailable: rate limits are counted in this process's memory until it is back";
const RATE_LIMITS_IN_REDIS = "Redis available again: rate limits are shared through Redis";
const CACHE_OFF = "Redis unavailable: session cache off, every request checks revocation in the database";
const CACHE_ON = "Redis available again: sessions are cached, revocations announced through Redis";

/**
 * Sends `me` with one token back to back on one server, recording when each request was sent
 * and how it was answered, until `enough` says so: a revoked token must never be answered
 * after its logout, whatever the cache is doing in between.
 */
function watchToken(url: string, token: string) {
  const records: Array<{ sentAt: number; code: string }> = [];
  let until: (() => boolean) | undefined;
  const done = (async () => {
    while (!until?.()) {
      const sentAt = Date.now();
      records.push({ sentAt, code: codeOf((await postGraphQL(url, ME, {}, token)).body) });
    }
  })();
  return {
    records,
    /** Keeps watching until `count` requests were sent after `after`, then stops. */
    async finish(after: number, count = 10) {
      until = () => records.filter((r) => r.sentAt > after).length >= count;
      await done;
      return { before: records.filter((r) => r.sentAt <= after), after: records.filter((r) => r.sentAt > after) };
    },
  };
}

// Two processes on PostgreSQL share Redis; the embedded PGlite is one process using Redis for
// its rate limits and invalidations. PGlite itself cannot be stopped, so on it only Redis goes.
describe.each([
  ["PostgreSQL, two server processes", "postgres", 2],
  ["PGlite, one server process", "pglite", 1],
] as const)("Redis stopping and coming back on %s", (_label, kind, processes) => {
  let redis: PrivateRedis;
  const servers: ServerProcess[] = [];
  let drop: (() => Promise<void>) | undefined;
  let a: ServerProcess; // where logouts happen
  let b: ServerProcess; // where the session is cached (the same process on PGlite)
  // One account per test: a logout holds its user's sessions out of the cache for a few seconds.
  const usernames = [0, 1].map((i) => `redis_outage_${i}_${randomBytes(3).toString("hex")}`);

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const env: Record<string, string> = {
      REDIS_URL: redis.url,
      APP_SECRET: "redis-outage-secret-redis-outage-secret-0001",
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "latchkey-redis-outage-")),
      RATE_LIMIT_LOGIN: "3/1m",
      LOGIN_LOCKOUT_THRESHOLD: "1000",
    };
    if (kind === "postgres") {
      const database = await createPostgresDatabase();
      drop = database.drop;
      env.DATABASE_URL = database.url;
    }
    // One after the other: both would otherwise race to apply the migrations.
    for (let i = 0; i < processes; i++) servers.push(await startServerProcess(env));
    a = servers[0];
    b = servers[servers.length - 1];
    for (const username of usernames) {
      const registered = await postGraphQL(a.url, REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
      expect(registered.body.errors).toBeUndefined();
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await drop?.();
    await redis?.destroy();
  });

  const signIn = async (username: string) => (await postGraphQL(a.url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } })).body.data.login.accessToken as string;
  const wrongLogin = (server: ServerProcess, identifier: string) =>
    postGraphQL(server.url, LOGIN, { input: { identifier, password: "not-the-password-1" } }).then((r) => codeOf(r.body));
  const logCount = (server: ServerProcess, msg: string) => server.logs().filter((line) => line.msg === msg).length;

  /** `me` twice on b: the second comes from b's memory when its cache is on. */
  const cacheOnB = async (token: string) => {
    const hits = await metricValue(b.url, CACHE_HITS);
    for (let i = 0; i < 2; i++) expect(codeOf((await postGraphQL(b.url, ME, {}, token)).body)).toBe("OK");
    return (await metricValue(b.url, CACHE_HITS)) - hits;
  };

  const logoutOnA = async (token: string) => {
    const result = await postGraphQL(a.url, "mutation { logout }", {}, token);
    expect(result.body.data).toEqual({ logout: true });
    return Date.now();
  };

  it("while Redis is down: limits counted per process, revocation checked in the database, each logged once", async () => {
    const token = await signIn(usernames[0]);
    expect(await cacheOnB(token)).toBeGreaterThanOrEqual(1);

    await redis.stop();
    for (const server of servers) await server.waitForLog((line) => line.msg === CACHE_OFF);

    // A logout on one process is refused at once on the process that had the session cached.
    const watch = watchToken(b.url, token);
    const loggedOutAt = await logoutOnA(token);
    const seen = await watch.finish(loggedOutAt);
    expect(seen.after.map((r) => r.code)).toEqual(Array(10).fill("UNAUTHENTICATED"));
    expect(await cacheOnB(await signIn(usernames[0]))).toBe(0); // nothing is served from memory meanwhile

    // Limits still hold, counted in each process's memory.
    const identifier = `nobody_${randomBytes(3).toString("hex")}`;
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(await wrongLogin(a, identifier));
    expect(codes).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]);
    if (processes > 1) expect(await wrongLogin(b, identifier)).toBe("UNAUTHENTICATED");

    // Degraded, not down: GraphQL serves, /readyz reports Redis missing (the contract), /healthz is fine.
    expect((await fetch(`${a.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);

    for (const server of servers) {
      expect(logCount(server, CACHE_OFF)).toBe(1);
      expect(logCount(server, RATE_LIMITS_IN_MEMORY)).toBe(1);
      expect(logCount(server, "redis unavailable")).toBe(1);
    }
  });

  it("after Redis returns: back to shared limits and the cache by itself, logged once, and a logout right then is honoured", async () => {
    const token = await signIn(usernames[1]);
    await redis.start();
    for (const server of servers) {
      await server.waitForLog((line) => line.msg === CACHE_ON);
      await server.waitForLog((line) => line.msg === "redis available again");
    }
    expect(await cacheOnB(token)).toBeGreaterThanOrEqual(1);

    const watch = watchToken(b.url, token);
    const loggedOutAt = await logoutOnA(token);
    const seen = await watch.finish(loggedOutAt);
    expect(seen.before.some((r) => r.code === "OK")).toBe(true);
    expect(seen.after.map((r) => r.code)).toEqual(Array(10).fill("UNAUTHENTICATED"));

    // One budget again across processes.
    const identifier = `nobody_${randomBytes(3).toString("hex")}`;
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(await wrongLogin(servers[i % servers.length], identifier));
    expect(codes).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]);
    expect((await fetch(`${a.url}/readyz`)).status).toBe(200);

    for (const server of servers) {
      expect(logCount(server, CACHE_ON)).toBe(1);
      expect(logCount(server, RATE_LIMITS_IN_REDIS)).toBe(1);
      expect(logCount(server, CACHE_OFF)).toBe(1);
      expect(logCount(server, RATE_LIMITS_IN_MEMORY)).toBe(1);
      expect(server.child.exitCode).toBeNull();
    }
  });
});

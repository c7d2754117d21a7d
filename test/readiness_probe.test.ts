import { createServer } from "node:net";
import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";

/** A local port nothing listens on: bound, then let go. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function readyz(server: TestServer) {
  const response = await fetch(`${server.url}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
}

// A load balancer only sees 503; the person looking at an unready instance needs to know which
// dependency it is waiting for.
describe.each(testDatabases)("/readyz on %s", (kind) => {
  describe("with the database answering and no Redis", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind);
    }, START_TIMEOUT_MS);
    afterAll(() => server.stop());

    it("answers 200 and names the database ok", async () => {
      expect(await readyz(server)).toEqual({ status: 200, body: { status: "ready", checks: { database: "ok" } } });
    });
  });

  describe("with REDIS_URL pointing at a closed port", () => {
    let server: TestServer;
    let redisUrl: string;
    beforeAll(async () => {
      // A password in the URL: no answer or log line may repeat it.
      redisUrl = `redis://:probe-redis-password-31@127.0.0.1:${await closedPort()}`;
      server = await startTestServer(kind, { env: { REDIS_URL: redisUrl } });
    }, START_TIMEOUT_MS);
    afterAll(() => server.stop());

    it("answers 503 naming Redis as failed and the database ok, without the URL", async () => {
      // The client's state, and its last connection error once the check has seen one (the
      // client retries within 2 s): nothing listens on that port.
      const deadline = Date.now() + 20_000;
      let answer = await readyz(server);
      while (!answer.body.checks.redis.includes("ECONNREFUSED") && Date.now() < deadline) answer = await readyz(server);
      const { status, body } = answer;
      expect(status).toBe(503);
      expect(body.status).toBe("unready");
      expect(body.checks.database).toBe("ok");
      expect(body.checks.redis).toMatch(/^failed: not connected \(\w+: ECONNREFUSED\)$/);
      expect(body.checks.redis.length).toBeLessThan(160);
      expect(JSON.stringify(body)).not.toContain("probe-redis-password-31");
      expect(JSON.stringify(body)).not.toContain(redisUrl);
    });

    it("logs the change to unready once, naming the check, and the probes only at debug", async () => {
      await readyz(server);
      await readyz(server);
      const lines = server.log().trim().split("\n").map((line) => JSON.parse(line) as Record<string, any>);
      const notReady = lines.filter((line) => line.msg === "not ready");
      expect(notReady).toHaveLength(1);
      expect(notReady[0].level).toBe(40);
      expect(notReady[0].checks).toMatchObject({ database: "ok", redis: expect.stringMatching(/^failed: /) });
      const probes = lines.filter((line) => line.req?.url === "/readyz");
      expect(probes.length).toBeGreaterThanOrEqual(3);
      expect(probes.every((line) => line.level === 20 && line.res.statusCode === 503)).toBe(true);
      expect(server.log()).not.toContain("probe-redis-password-31");
    });
  });
});

describe("/readyz with a Redis that answers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite", { env: { REDIS_URL: "redis://127.0.0.1:6379", REDIS_PREFIX: `latchkey-test-readyz-${process.pid}:` } });
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  it("names both checks ok once the client has connected", async () => {
    // The client connects in the background after start-up; it is ready within moments.
    const deadline = Date.now() + 20_000;
    let answer = await readyz(server);
    while (answer.status !== 200 && Date.now() < deadline) answer = await readyz(server);
    expect(answer).toEqual({ status: 200, body: { status: "ready", checks: { database: "ok", redis: "ok" } } });
  });
});

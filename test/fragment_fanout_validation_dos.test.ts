import { startTestServer, type TestServer } from "./support/test-server";
import { fanOut, hostileShapes, overlappingShapes } from "./support/hostile-queries";

/*
 * A few hundred bytes of fragments spreading each other describe millions of paths. Checking a
 * document must take time linear in it: each shape below is refused in well under 100 ms of
 * server time, where walking every path took from 6 s (the reported 2x23) to about a minute,
 * holding the event loop, /healthz included.
 *
 * The server runs in this process, so the time asserted is the process's CPU time while the
 * request is answered (best of three): other processes on a loaded machine do not count, and the
 * gap between the bound and the path-walking cost is a factor of 60 or more.
 */
const CPU_BOUND_MS = 100;

async function cpuMsOf(request: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    await request();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

describe("fragment fan-out and other documents costly to validate", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite");
  });
  afterAll(() => server.stop());

  const post = async (query: string) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const get = async (query: string) => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it.each(Object.entries(hostileShapes))("refuses %s quickly, by POST and by GET", async (_shape, query) => {
    for (const send of [post, get]) {
      const { status, body } = await send(query);
      expect(status).toBe(400);
      expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
      expect(body.errors[0].message).toMatch(/costs|nested|aliases/);
      expect(await cpuMsOf(() => send(query))).toBeLessThan(CPU_BOUND_MS);
    }
  });

  it("answers /healthz while a hostile document is being checked", async () => {
    const started = performance.now();
    const hostile = post(hostileShapes["fan-out 8x9 on Query"]).then(() => performance.now() - started);
    const health = fetch(`${server.url}/healthz`).then(async (response) => ({ status: response.status, ms: performance.now() - started }));
    const [healthz, hostileMs] = await Promise.all([health, hostile]);
    expect(healthz.status).toBe(200);
    // Walking its paths took about half a minute; the bound leaves room for a loaded machine.
    expect(healthz.ms).toBeLessThan(2_000);
    expect(hostileMs).toBeLessThan(2_000);
  });

  it("still measures fragments spread more than once at their full cost and depth", async () => {
    // 2^4 copies of passwordPolicy { minLength maxLength } cost 48: under the default limit.
    const { body } = await post(fanOut(5, 2, "Query", "passwordPolicy { minLength maxLength }"));
    expect(body.errors).toBeUndefined();
    expect(body.data.passwordPolicy.minLength).toBeGreaterThan(0);
    const wide = await post(fanOut(12, 2, "Query", "passwordPolicy { minLength maxLength }"));
    expect(wide.body.errors[0].message).toMatch(/costs 6144; the limit is 5000/);
    const aliased = await post(fanOut(5, 2, "Query", "a: passwordPolicy { minLength }"));
    expect(aliased.body.errors[0].message).toMatch(/uses 16 aliases; the limit is 15/);
  });

  it("does not loop on fragment cycles", async () => {
    const { status, body } = await post("query { ...A } fragment A on Query { ...B __typename } fragment B on Query { ...A }");
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(body.errors.map((e: any) => e.message).join(" ")).toMatch(/Cannot spread fragment "A" within itself/);
  });

  it("bounds the document in tokens before graphql-js's pairwise overlapping-fields check", async () => {
    const { status, body } = await post(overlappingShapes["1,300 fragments spread together (16,000 tokens)"]);
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(body.errors[0].message).toMatch(/more tha[nt] 1000 tokens/);
    for (const [shape, query] of Object.entries(overlappingShapes)) {
      if (!shape.includes("(1,000 tokens)")) continue;
      expect(JSON.stringify((await post(query)).body)).not.toMatch(/tokens/);
      expect(await cpuMsOf(() => post(query))).toBeLessThan(CPU_BOUND_MS);
    }
  });
});

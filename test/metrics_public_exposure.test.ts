import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";

const TOKEN = "metrics-token-0123456789abcdef";

// /metrics (sign-in counts, lockouts, active sessions, process details) answered anyone who
// could reach the API, production included.
describe.each(testDatabases)("who may read /metrics on %s", (kind) => {
  const servers: TestServer[] = [];
  const start = async (env: Record<string, string>) => {
    const server = await startTestServer(kind, { env });
    servers.push(server);
    return server;
  };
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it("answers 404 on the main port in production when neither METRICS_PORT nor METRICS_TOKEN is set", async () => {
    const server = await start({ NODE_ENV: "production" });
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("latchkey_");
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("with METRICS_TOKEN, answers only a request carrying that bearer token", async () => {
    const server = await start({ NODE_ENV: "production", METRICS_TOKEN: TOKEN });
    const scrape = (authorization?: string) => fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN]) {
      const response = await scrape(authorization);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain("latchkey_");
    }
    const allowed = await scrape(`Bearer ${TOKEN}`);
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toMatch(/latchkey_graphql_operations_total|process_cpu_user_seconds_total/);
  });

  it("with METRICS_PORT, serves /metrics on its own loopback port and not on the main one", async () => {
    const server = await start({ NODE_ENV: "production", METRICS_PORT: "0" });
    expect(server.app.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.app.metricsUrl).not.toBe(server.url);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    const scraped = await fetch(`${server.app.metricsUrl}/metrics`);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain("process_cpu_user_seconds_total");
    // Nothing else is served there.
    expect((await fetch(`${server.app.metricsUrl}/graphql`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${server.app.metricsUrl}/healthz`)).status).toBe(404);
  });

  it("with METRICS_PORT and METRICS_TOKEN, wants the token on the metrics port too", async () => {
    const server = await start({ METRICS_PORT: "0", METRICS_TOKEN: TOKEN });
    expect((await fetch(`${server.app.metricsUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.app.metricsUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it("keeps /metrics open on the main port outside production with neither set", async () => {
    const server = await start({});
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });
});

import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, registerUser } from "./support/accounts";

const sample = (text: string, name: string, labels: Record<string, string>) => {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(" ").pop()) : 0;
};

describe.each(testDatabases)("Prometheus metrics on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { RATE_LIMIT_REGISTER: "2/1h" } });
  });
  afterAll(() => server.stop());

  const scrape = async () => (await fetch(`${server.url}/metrics`)).text();

  it("counts operations by name, type and outcome, with latency histograms", async () => {
    for (let i = 0; i < 3; i++) await server.gql("query PolicyCheck { passwordPolicy { minLength } }");
    await server.gql("query WhoAmI { me { id } }");
    const text = await scrape();
    expect(sample(text, "latchkey_graphql_operations_total", { operation_name: "PolicyCheck", operation_type: "query", outcome: "ok" })).toBe(3);
    expect(sample(text, "latchkey_graphql_operations_total", { operation_name: "WhoAmI", outcome: "UNAUTHENTICATED" })).toBe(1);
    expect(sample(text, "latchkey_graphql_operation_duration_seconds_count", { operation_name: "PolicyCheck" })).toBe(3);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });

  it("counts logins by result, rate-limited calls, and active sessions", async () => {
    const user = await registerUser(server);
    await server.gql(LOGIN, { input: { identifier: user.username, password: user.password } });
    await server.gql(LOGIN, { input: { identifier: user.username, password: "wrong-password-here" } });
    await server.gql(`mutation { register(input: { username: "x_${Date.now()}", password: "whatever-long-pass", secretPasskey: "another-long-secret" }) { userId } }`);
    await server.gql(`mutation { register(input: { username: "y_${Date.now()}", password: "whatever-long-pass", secretPasskey: "another-long-secret" }) { userId } }`);
    const text = await scrape();
    expect(sample(text, "latchkey_logins_total", { result: "success" })).toBe(1);
    expect(sample(text, "latchkey_logins_total", { result: "failure" })).toBe(1);
    expect(sample(text, "latchkey_rate_limited_total", { field: "register" })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^latchkey_active_sessions [1-9]/m);
    expect(text).toMatch(/^latchkey_outbox_queue_depth \d+/m);
  });
});

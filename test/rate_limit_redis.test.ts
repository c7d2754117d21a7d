import { randomBytes } from "node:crypto";
import { createPostgresDatabase } from "./support/databases";
import { startServerProcess, type ServerProcess } from "./support/server-process";
import { LOGIN, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD } from "./support/accounts";

// Several server processes behind one load balancer must share one budget per client.
describe("rate limits shared through Redis by two server processes", () => {
  let servers: ServerProcess[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    drop = database.drop;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: "redis://127.0.0.1:6379",
      REDIS_PREFIX: `latchkey-test-${randomBytes(4).toString("hex")}:`,
      APP_SECRET: "shared-secret-shared-secret-shared-secret-42",
      RATE_LIMIT_LOGIN: "4/1m",
      LOGIN_LOCKOUT_THRESHOLD: "1000",
      DATA_DIR: `/tmp/latchkey-redis-${randomBytes(4).toString("hex")}`,
    };
    // Sequential: both would otherwise race to apply the migrations.
    servers.push(await startServerProcess(env));
    servers.push(await startServerProcess(env));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await drop?.();
  });

  const post = async (server: ServerProcess, query: string, variables: unknown) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: Array<{ extensions: { code: string } }> };
  };

  it("counts logins made on either process against one limit", async () => {
    const username = `shared_${randomBytes(3).toString("hex")}`;
    const registered = await post(servers[0], REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
    expect(registered.errors).toBeUndefined();
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await post(servers[i % 2], LOGIN, { input: { identifier: username, password: `wrong-guess-${i}` } });
      codes.push(result.errors![0].extensions.code);
    }
    expect(codes).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED", "RATE_LIMITED"]);
  });
});

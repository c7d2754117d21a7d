import { randomBytes } from "node:crypto";
import { startServerPair, type ServerPair, type ServerProcess } from "./support/server-process";
import { LOGIN, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD } from "./support/accounts";

// Several server processes behind one load balancer must share one budget per client.
describe("rate limits shared through Redis by two server processes", () => {
  let servers: ServerProcess[] = [];
  let pair: ServerPair;

  beforeAll(async () => {
    pair = await startServerPair({ RATE_LIMIT_LOGIN: "4/1m", LOGIN_LOCKOUT_THRESHOLD: "1000" });
    servers = pair.servers;
  }, 90_000);

  afterAll(() => pair?.stop());

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

import { randomBytes } from "node:crypto";
import { startServerPair, type ServerPair, type ServerProcess } from "./support/server-process";
import { LOGIN, ME, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD } from "./support/accounts";

// Each process keeps session state in memory; a logout on one must reach the other fast.
describe("revocation across two server processes on shared PostgreSQL and Redis", () => {
  let servers: ServerProcess[] = [];
  let pair: ServerPair;

  beforeAll(async () => {
    pair = await startServerPair();
    servers = pair.servers;
  }, 120_000);

  afterAll(() => pair?.stop());

  const post = async (server: ServerProcess, query: string, variables: unknown = {}, token?: string) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: Array<{ extensions: { code: string } }> };
  };

  const cacheHits = async (server: ServerProcess) => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith('latchkey_session_cache_lookups_total{result="hit"}'));
    return line ? Number(line.split(" ").pop()) : 0;
  };

  it("makes a token logged out on one process fail on the other within a second", async () => {
    const username = `roaming_${randomBytes(3).toString("hex")}`;
    await post(servers[0], REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
    const login = await post(servers[0], LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } });
    const token = login.data.login.accessToken as string;

    // The second process serves `me` from its memory after the first lookup.
    for (let i = 0; i < 3; i++) expect((await post(servers[1], ME, {}, token)).data?.me.username).toBe(username);
    expect(await cacheHits(servers[1])).toBeGreaterThanOrEqual(2);

    const loggedOutAt = Date.now();
    expect((await post(servers[0], "mutation { logout }", {}, token)).data).toEqual({ logout: true });
    let refusedAfter = Infinity;
    while (Date.now() - loggedOutAt < 3_000) {
      const result = await post(servers[1], ME, {}, token);
      if (result.errors?.[0].extensions.code === "UNAUTHENTICATED") {
        refusedAfter = Date.now() - loggedOutAt;
        break;
      }
    }
    expect(refusedAfter).toBeLessThan(1_000);
  });
});

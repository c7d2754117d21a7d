import { gzipSync } from "node:zlib";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { LOGIN, MY_SESSIONS, registerUser, STRONG_PASSWORD } from "./support/accounts";
import { ConfigError, loadConfig } from "../src/config";

// Proxies append the address they saw to X-Forwarded-For; whatever stands to the left of that
// came from the caller. Taking the leftmost entry would let a caller choose its own IP: every
// per-IP limit and every audit row's IP would be whatever it wrote.
const SENT_BY_CALLER = "198.51.100.7";
const APPENDED_BY_PROXY = "203.0.113.9";
const FORWARDED = `${SENT_BY_CALLER}, ${APPENDED_BY_PROXY}`;

describe.each(testDatabases)("the client address behind proxies on %s", (kind) => {
  const servers: TestServer[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.stop())));
  const start = async (env: Record<string, string>) => {
    const server = await startTestServer(kind, { env });
    servers.push(server);
    return server;
  };

  /** The IP recorded for a session signed in with this X-Forwarded-For, on the plain JSON path or through express (a gzip body). */
  async function sessionIp(server: TestServer, way: "json" | "express", forwarded = FORWARDED): Promise<string> {
    const user = await registerUser(server);
    const body = JSON.stringify({ query: LOGIN, variables: { input: { identifier: user.username, password: STRONG_PASSWORD } } });
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": forwarded, ...(way === "express" ? { "content-encoding": "gzip" } : {}) },
      body: way === "express" ? gzipSync(body) : body,
    });
    const { data } = (await response.json()) as any;
    const sessions = await server.gql(MY_SESSIONS, {}, { token: data.login.accessToken });
    return sessions.body.data.mySessions[0].ip;
  }

  it("is the address the one trusted proxy appended, on both ways in, with TRUST_PROXY=true", async () => {
    const server = await start({ TRUST_PROXY: "true" });
    expect(await sessionIp(server, "json")).toBe(APPENDED_BY_PROXY);
    expect(await sessionIp(server, "express")).toBe(APPENDED_BY_PROXY);
  });

  it("walks one entry further left per proxy with TRUST_PROXY=2, and ignores the header with TRUST_PROXY=false", async () => {
    // Two proxies: the outer one appended SENT_BY_CALLER (what it saw); what stands left of it is the caller's own writing.
    const two = await start({ TRUST_PROXY: "2" });
    const throughTwo = `192.0.2.200, ${FORWARDED}`;
    expect(await sessionIp(two, "json", throughTwo)).toBe(SENT_BY_CALLER);
    expect(await sessionIp(two, "express", throughTwo)).toBe(SENT_BY_CALLER);
    const none = await start({ TRUST_PROXY: "false" });
    expect(await sessionIp(none, "json")).toBe("127.0.0.1");
    expect(await sessionIp(none, "express")).toBe("127.0.0.1");
  });

  it("does not let a caller walk past a per-IP limit by writing a new address in front each time", async () => {
    const server = await start({ TRUST_PROXY: "true", RATE_LIMIT_LOGIN_IP: "3/1m" });
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await server.gql(
        LOGIN,
        { input: { identifier: `nobody-${i}`, password: "not the password" } },
        { headers: { "x-forwarded-for": `198.51.100.${10 + i}, ${APPENDED_BY_PROXY}` } },
      );
      codes.push(result.body.errors?.[0]?.extensions?.code ?? "OK");
    }
    expect(codes).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]);
  });

  // One IPv6 subscriber holds a whole /64 and can use a new address for every request.
  it("counts an IPv6 caller's limit against its /64, so new addresses in that block do not buy new attempts", async () => {
    const server = await start({ TRUST_PROXY: "true", RATE_LIMIT_LOGIN_IP: "3/1m" });
    const attempt = async (ip: string) => {
      const result = await server.gql(LOGIN, { input: { identifier: "nobody", password: "not the password" } }, { headers: { "x-forwarded-for": ip } });
      return result.body.errors?.[0]?.extensions?.code ?? "OK";
    };
    const sameBlock = ["2001:db8:7:1::1", "2001:db8:7:1::2", "2001:db8:7:1:ffff:ffff:ffff:fffe", "2001:db8:7:1::a"];
    const codes: string[] = [];
    for (const ip of sameBlock) codes.push(await attempt(ip));
    expect(codes).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]);
    // The neighbouring /64 is somebody else's, and an IPv4 address written as IPv6 is that IPv4 address.
    expect(await attempt("2001:db8:7:2::1")).toBe("UNAUTHENTICATED");
    for (let i = 0; i < 3; i++) await attempt("192.0.2.44");
    expect(await attempt("::ffff:192.0.2.44")).toBe("RATE_LIMITED");
  });
});

describe("TRUST_PROXY", () => {
  const hops = (value: string) => loadConfig({ NODE_ENV: "test", APP_SECRET: "test-secret-test-secret-test-secret-0123456789", TRUST_PROXY: value }).trustProxy;
  it("reads true, false and a number of proxies, and refuses anything else", () => {
    expect([hops("true"), hops("false"), hops("1"), hops("2"), hops("0"), hops("")]).toEqual([1, 0, 1, 2, 0, 0]);
    expect(() => hops("loopback")).toThrow(ConfigError);
    expect(() => hops("-1")).toThrow(ConfigError);
  });
});

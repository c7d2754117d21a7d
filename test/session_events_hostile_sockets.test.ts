import WebSocket from "ws";
import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { jwtPayload, login, registerSignedInUser, registerUser } from "./support/accounts";
import { signedInAs } from "./support/admin";
import { wsClient, wsUrl, type WsClient } from "./support/ws-client";

const SESSION_EVENTS = /* GraphQL */ `subscription { sessionEvents { type sessionId at } }`;
const USER_SESSION_EVENTS = /* GraphQL */ `subscription ($userId: ID!) { userSessionEvents(userId: $userId) { type sessionId } }`;

/** A raw upgrade to `path`: the HTTP status of a refusal, or 101 when it opened. */
function upgradeStatus(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}${path}`, "graphql-transport-ws", { headers });
    socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    socket.on("open", () => {
      socket.close();
      resolve(101);
    });
    socket.on("error", (error) => reject(error));
  });
}

/** A raw graphql-ws socket that sends `frames` after opening; resolves with the close code. */
function rawSession(baseUrl: string, frames: Array<string | Buffer>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(baseUrl), "graphql-transport-ws");
    socket.on("open", () => frames.forEach((frame) => socket.send(frame)));
    socket.on("close", (code) => resolve(code));
    socket.on("error", (error) => reject(error));
  });
}

describe.each(testDatabases)("session event sockets against hostile or unentitled clients on %s", (kind) => {
  let server: TestServer;
  const sockets: WsClient[] = [];
  const connect = (options: Parameters<typeof wsClient>[1]) => {
    const socket = wsClient(server.url, options);
    sockets.push(socket);
    return socket;
  };
  const subscribed = (sessionId: string) => server.waitForLog((line) => line.msg === "live subscription started" && line.sessionId === sessionId);

  beforeAll(async () => {
    server = await startTestServer(kind, { env: { SESSION_EVENTS_RECHECK_INTERVAL: "10m" } });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.dispose()));
    await server?.stop();
  });

  it("answers a subscription without a token UNAUTHENTICATED", async () => {
    const feed = connect({}).subscribe(SESSION_EVENTS);
    const result = await feed.nth(1);
    expect(result.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(result.data ?? null).toBeNull();
  });

  it("closes a socket whose token does not verify with 4401, and one with a malformed authorization too", async () => {
    expect((await connect({ token: "not-a-jwt" }).closed).code).toBe(4401);
    expect((await connect({ connectionParams: { authorization: "Basic abc" } }).closed).code).toBe(4401);
  });

  it("refuses a cookie-authenticated socket from a foreign Origin (4403) and serves one from the app's origin", async () => {
    const { token } = await registerSignedInUser(server);
    const foreign = connect({ headers: { cookie: `lk_access=${token}`, origin: "https://evil.example" } });
    expect((await foreign.closed).code).toBe(4403);

    const own = connect({ headers: { cookie: `lk_access=${token}`, origin: "http://localhost:4000" } });
    const feed = own.subscribe(SESSION_EVENTS);
    await subscribed(jwtPayload(token).sid);
    expect((await server.gql("mutation { logout }", {}, { token })).body.data).toEqual({ logout: true });
    expect((await feed.nth(1)).data?.sessionEvents.type).toBe("SESSION_REVOKED");
    expect((await own.closed).code).toBe(4403);
  });

  it("ends a socket's session from another session (logoutAllSessions): the event, then close 4403", async () => {
    const user = await registerUser(server);
    const watched = (await login(server, user.username)).accessToken;
    const other = (await login(server, user.username)).accessToken;
    const socket = connect({ token: watched });
    const feed = socket.subscribe(SESSION_EVENTS);
    await subscribed(jwtPayload(watched).sid);
    expect((await server.gql("mutation { logoutAllSessions }", {}, { token: other })).body.errors).toBeUndefined();
    expect((await feed.nth(1)).data).toEqual({ sessionEvents: { type: "SESSION_REVOKED", sessionId: jwtPayload(watched).sid, at: expect.any(String) } });
    expect((await socket.closed).code).toBe(4403);
  });

  it("closes with 4401 once the socket's access token has expired", async () => {
    const user = await registerUser(server);
    const watched = (await login(server, user.username)).accessToken;
    const other = (await login(server, user.username)).accessToken;
    const socket = connect({ token: watched });
    socket.subscribe(SESSION_EVENTS);
    await subscribed(jwtPayload(watched).sid);
    server.clock.advance(16 * 60_000);
    try {
      // Any change to the account makes the socket look again; its token is past its exp by now.
      const other2 = (await login(server, user.username)).accessToken;
      await server.gql(`mutation { updateProfile(input: { contact: "x" }) { contact } }`, {}, { token: other2 });
      expect(other).toBeDefined();
      expect((await socket.closed).code).toBe(4401);
    } finally {
      server.clock.advance(-16 * 60_000);
    }
  });

  it("answers a USER's userSessionEvents FORBIDDEN and a MODERATOR's about an unknown account NOT_FOUND", async () => {
    const { user, token } = await signedInAs(server, "USER");
    const refused = await connect({ token }).subscribe(USER_SESSION_EVENTS, { userId: user.id }).nth(1);
    expect(refused.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const moderator = await signedInAs(server, "MODERATOR");
    const missing = await connect({ token: moderator.token }).subscribe(USER_SESSION_EVENTS, { userId: "00000000-0000-4000-8000-000000000000" }).nth(1);
    expect(missing.errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });

  it("still refuses subscriptions over HTTP", async () => {
    const { token } = await registerSignedInUser(server);
    const response = await server.gql(SESSION_EVENTS, {}, { token });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("answers hostile documents with clean errors and keeps serving", async () => {
    const { token } = await registerSignedInUser(server);
    const socket = connect({ token });
    const code = async (query: string) => (await socket.subscribe(query).nth(1)).errors?.[0];
    expect((await code("subscription {"))?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect((await code(`subscription { sessionEvents { ${Array.from({ length: 40 }, (_, i) => `a${i}: type`).join(" ")} } }`))?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await code(`subscription { sessionEvents { ${"type ".repeat(1200)} } }`))?.extensions?.code).toBe("BAD_USER_INPUT");
    const query = await code("query { viewer { id } }");
    expect(query?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(query?.message).toMatch(/only subscription operations/i);
    const unknownField = await code("subscription { nope }");
    expect(unknownField?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(JSON.stringify(unknownField)).not.toMatch(/stack|at .*\.ts/);

    // Oversized and malformed frames close that socket only.
    expect(await rawSession(server.url, [JSON.stringify({ type: "connection_init", payload: { pad: "x".repeat(70 * 1024) } })])).toBe(1009);
    expect(await rawSession(server.url, ["{not json"])).toBe(4400);
    expect(await rawSession(server.url, [JSON.stringify({ type: "subscribe", id: "1", payload: { query: SESSION_EVENTS } })])).toBe(4401);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await code("subscription {"))?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("lets one session hold 10 sockets at once, closing the 11th with 4429", async () => {
    const { token } = await registerSignedInUser(server);
    const held = Array.from({ length: 10 }, () => connect({ token }));
    await Promise.all(held.map((socket) => socket.connected));
    expect((await connect({ token }).closed).code).toBe(4429);
    await Promise.all(held.map((socket) => socket.dispose()));
  });

  it("takes WebSocket upgrades on /graphql only", async () => {
    expect(await upgradeStatus(server.url, "/other")).toBe(404);
    expect(await upgradeStatus(server.url, "/graphql/x")).toBe(404);
    expect(await upgradeStatus(server.url, "/graphql?x=1")).toBe(101);
  });
});

describe("WebSocket connections per client address", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite", { env: { WS_MAX_CONNECTIONS_PER_IP: "2" } });
  }, START_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it("refuses the connection past WS_MAX_CONNECTIONS_PER_IP with 429, and takes one again after one closed", async () => {
    const first = wsClient(server.url);
    const second = wsClient(server.url);
    await Promise.all([first.connected, second.connected]);
    expect(await upgradeStatus(server.url, "/graphql")).toBe(429);
    await first.dispose();
    await first.closed;
    // The server counts the closed socket off once it has seen the close.
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 101; attempt++) status = await upgradeStatus(server.url, "/graphql");
    expect(status).toBe(101);
    await second.dispose();
  });
});

describe("WebSocket subscribers when the server shuts down", () => {
  it("are told the server is going away (1001), and the shutdown does not wait for them", async () => {
    const server = await startTestServer("pglite");
    const { token } = await registerSignedInUser(server);
    const socket = wsClient(server.url, { token });
    socket.subscribe(SESSION_EVENTS);
    await server.waitForLog((line) => line.msg === "live subscription started" && line.sessionId === jwtPayload(token).sid);
    const stopping = Date.now();
    await server.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect((await socket.closed).code).toBe(1001);
  }, START_TIMEOUT_MS);
});

import { randomBytes } from "node:crypto";
import { startServerPair, type ServerPair, type ServerProcess } from "./support/server-process";
import { LOGIN, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, jwtPayload } from "./support/accounts";
import { ADMIN_ENV, ADMIN_PASSWORD, ADMIN_USERNAME } from "./support/admin";
import { wsClient, type WsClient } from "./support/ws-client";

const SESSION_EVENTS = /* GraphQL */ `subscription { sessionEvents { type sessionId at } }`;
const USER_SESSION_EVENTS = /* GraphQL */ `subscription ($userId: ID!) { userSessionEvents(userId: $userId) { type sessionId at } }`;

// Live session events pushed from one process's change to a subscriber on another, through Redis.
// The fallback recheck runs every 10 minutes here, so only the push path can pass.
describe("live session events across two server processes on shared PostgreSQL and Redis", () => {
  let servers: ServerProcess[] = [];
  let pair: ServerPair;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    pair = await startServerPair({ ...ADMIN_ENV, SESSION_EVENTS_RECHECK_INTERVAL: "10m", LOG_LEVEL: "debug" });
    servers = pair.servers;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.dispose()));
    await pair?.stop();
  });

  const post = async (server: ServerProcess, query: string, variables: unknown = {}, token?: string) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: Array<{ extensions: { code: string } }> };
  };

  const signIn = async (server: ServerProcess, identifier: string, password = STRONG_PASSWORD) => {
    const result = await post(server, LOGIN, { input: { identifier, password } });
    return result.data.login.accessToken as string;
  };

  const newUser = async () => {
    const username = `live_${randomBytes(3).toString("hex")}`;
    const registered = await post(servers[0], REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
    return { username, id: registered.data.register.userId as string };
  };

  const connect = (server: ServerProcess, token: string) => {
    const socket = wsClient(server.url, { token });
    sockets.push(socket);
    return socket;
  };

  /** The subscriber's process logs (at debug) once the subscription is registered. */
  const subscribed = (server: ServerProcess, match: Record<string, string>) =>
    server.waitForLog((line) => line.msg === "live subscription started" && Object.entries(match).every(([key, value]) => line[key] === value));

  it("tells a subscriber on the other process of its logout within a second, then closes the socket", async () => {
    const { username } = await newUser();
    const token = await signIn(servers[0], username);
    const sessionId = jwtPayload(token).sid as string;
    const socket = connect(servers[1], token);
    const feed = socket.subscribe(SESSION_EVENTS);
    await subscribed(servers[1], { subscription: "sessionEvents", sessionId });

    expect((await post(servers[0], "mutation { logout }", {}, token)).data).toEqual({ logout: true });
    const answeredAt = Date.now();
    const event = await feed.nth(1, 5_000);
    expect(Date.now() - answeredAt).toBeLessThan(1_000);
    expect(event.data).toEqual({ sessionEvents: { type: "SESSION_REVOKED", sessionId, at: expect.any(String) } });
    expect(await socket.closed).toEqual({ code: 4403, reason: "Session revoked" });
    expect(feed.results).toHaveLength(1);
  });

  it("pushes a role change, then the account being disabled (and closes), as an ADMIN on the other process makes them", async () => {
    const { username, id } = await newUser();
    const token = await signIn(servers[0], username);
    const sessionId = jwtPayload(token).sid as string;
    const socket = connect(servers[1], token);
    const feed = socket.subscribe(SESSION_EVENTS);
    await subscribed(servers[1], { subscription: "sessionEvents", sessionId });
    const admin = await signIn(servers[0], ADMIN_USERNAME, ADMIN_PASSWORD);

    const role = await post(servers[0], `mutation ($id: ID!) { setUserRole(userId: $id, role: MODERATOR) { role } }`, { id }, admin);
    expect(role.data).toEqual({ setUserRole: { role: "MODERATOR" } });
    const roleAnsweredAt = Date.now();
    expect((await feed.nth(1, 5_000)).data).toEqual({ sessionEvents: { type: "ROLE_CHANGED", sessionId, at: expect.any(String) } });
    expect(Date.now() - roleAnsweredAt).toBeLessThan(1_000);

    const disabled = await post(servers[0], `mutation ($id: ID!) { setUserDisabled(userId: $id, disabled: true) { disabled } }`, { id }, admin);
    expect(disabled.data).toEqual({ setUserDisabled: { disabled: true } });
    const disabledAnsweredAt = Date.now();
    expect((await feed.nth(2, 5_000)).data).toEqual({ sessionEvents: { type: "ACCOUNT_DISABLED", sessionId, at: expect.any(String) } });
    expect(Date.now() - disabledAnsweredAt).toBeLessThan(1_000);
    expect((await socket.closed).code).toBe(4403);
  });

  it("shows an ADMIN watching a user (userSessionEvents) each of their sessions starting and ending on the other process", async () => {
    const { username, id } = await newUser();
    const admin = await signIn(servers[1], ADMIN_USERNAME, ADMIN_PASSWORD);
    const socket = connect(servers[1], admin);
    const feed = socket.subscribe(USER_SESSION_EVENTS, { userId: id });
    await subscribed(servers[1], { subscription: "userSessionEvents", userId: id });

    const token = await signIn(servers[0], username);
    const sessionId = jwtPayload(token).sid as string;
    const signedInAt = Date.now();
    expect((await feed.nth(1, 5_000)).data).toEqual({ userSessionEvents: { type: "SESSION_STARTED", sessionId, at: expect.any(String) } });
    expect(Date.now() - signedInAt).toBeLessThan(1_000);

    expect((await post(servers[0], "mutation { logout }", {}, token)).data).toEqual({ logout: true });
    const loggedOutAt = Date.now();
    expect((await feed.nth(2, 5_000)).data).toEqual({ userSessionEvents: { type: "SESSION_REVOKED", sessionId, at: expect.any(String) } });
    expect(Date.now() - loggedOutAt).toBeLessThan(1_000);
    // The ADMIN's own connection stays open.
    expect(feed.results).toHaveLength(2);
  });
});

// PostgreSQL without Redis: no channel between the processes, so each subscriber rechecks on
// its own every SESSION_EVENTS_RECHECK_INTERVAL (here 1 s): late, but never missed.
describe("live session events across two server processes on shared PostgreSQL without Redis", () => {
  let pair: ServerPair;
  let socket: WsClient | undefined;

  beforeAll(async () => {
    pair = await startServerPair({ REDIS_URL: "", SESSION_EVENTS_RECHECK_INTERVAL: "1s", LOG_LEVEL: "debug" });
  }, 120_000);

  afterAll(async () => {
    await socket?.dispose();
    await pair?.stop();
  });

  it("still tells the subscriber on the other process of its logout, by the periodic recheck", async () => {
    const [a, b] = pair.servers;
    const post = async (server: ServerProcess, query: string, variables: unknown = {}, token?: string) =>
      (await (
        await fetch(`${server.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        })
      ).json()) as { data?: any };
    const username = `fallback_${randomBytes(3).toString("hex")}`;
    await post(a, REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
    const token = (await post(a, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } })).data.login.accessToken as string;
    const sessionId = jwtPayload(token).sid as string;
    socket = wsClient(b.url, { token });
    const feed = socket.subscribe(SESSION_EVENTS);
    await b.waitForLog((line) => line.msg === "live subscription started" && line.sessionId === sessionId);

    expect((await post(a, "mutation { logout }", {}, token)).data).toEqual({ logout: true });
    const answeredAt = Date.now();
    expect((await feed.nth(1, 5_000)).data).toEqual({ sessionEvents: { type: "SESSION_REVOKED", sessionId, at: expect.any(String) } });
    expect(Date.now() - answeredAt).toBeLessThan(2_500);
    expect((await socket.closed).code).toBe(4403);
  });
});

import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { jwtPayload, login, registerUser } from "./support/accounts";
import { wsUrl } from "./support/ws-client";
import { createLatchkeyClient, watchSessionEvents, type LatchkeyClient, type SessionEvent } from "../packages/client/src/index.ts";

/** Resolves when the store emits `signedOut` with that reason. */
const signedOut = (client: LatchkeyClient) => new Promise<string>((resolve) => client.store.on("signedOut", ({ reason }) => resolve(reason)));

// @latchkey/client's watchSessionEvents against the real server (bearer mode, Node's `ws`): the
// store signs out the moment the session ends elsewhere; after the socket's token expired it
// waits for the app's own refresh, then watches again.
describe(`@latchkey/client watching session events (${testDatabases[0]})`, () => {
  let server: TestServer;
  const stops: Array<() => void> = [];
  beforeAll(async () => {
    server = await startTestServer(testDatabases[0], { env: { SESSION_EVENTS_RECHECK_INTERVAL: "10m" } });
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    stops.forEach((stop) => stop());
    await server?.stop();
  });

  const subscriptionsOf = (sessionId: string) => server.log().split("\n").filter((line) => line.includes("live subscription started") && line.includes(sessionId)).length;
  const subscribed = (sessionId: string, times: number) => server.waitForLog(() => subscriptionsOf(sessionId) >= times);

  async function watching() {
    const user = await registerUser(server);
    const client = createLatchkeyClient({ url: `${server.url}/graphql`, mode: "bearer" });
    expect((await client.signIn({ identifier: user.username, password: user.password, expiresInMinutes: 1 })).status).toBe("signedIn");
    const sessionId = jwtPayload(client.store.snapshot().accessToken!).sid as string;
    const events: SessionEvent[] = [];
    stops.push(watchSessionEvents({ latchkey: client, createClient, url: wsUrl(server.url), webSocketImpl: WebSocket, onEvent: (event) => events.push(event) }));
    await subscribed(sessionId, 1);
    return { user, client, sessionId, events };
  }

  it("signs the store out when the session is ended from another session", async () => {
    const { user, client, sessionId, events } = await watching();
    const out = signedOut(client);
    const other = (await login(server, user.username)).accessToken;
    expect((await server.gql("mutation { logoutAllSessions }", {}, { token: other })).body.errors).toBeUndefined();
    expect(await out).toBe("sessionRevoked");
    expect(events.map((event) => [event.type, event.sessionId])).toEqual([["SESSION_REVOKED", sessionId]]);
  });

  it("after the socket's token expired, watches again once the app refreshed, and still hears the end", async () => {
    const { user, client, sessionId, events } = await watching();
    const other = (await login(server, user.username)).accessToken;
    server.clock.advance(2 * 60_000);
    try {
      // A change to the account makes the socket look again: its one-minute token is past exp (4401).
      await server.gql(`mutation { updateProfile(input: { contact: "x" }) { contact } }`, {}, { token: other });
      await server.waitForLog((line) => line.msg === "WebSocket closed for an expired token" && line.sessionId === sessionId);
      expect(await client.refresher.refresh()).toBe(true);
      await subscribed(sessionId, 2);
      const out = signedOut(client);
      expect((await server.gql("mutation { logoutAllSessions }", {}, { token: other })).body.errors).toBeUndefined();
      expect(await out).toBe("sessionRevoked");
      expect(events.map((event) => event.type)).toEqual(["SESSION_REVOKED"]);
    } finally {
      server.clock.advance(-2 * 60_000);
    }
  });
});

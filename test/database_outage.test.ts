import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { startPrivatePostgres, type PrivatePostgres } from "./support/private-services";
import { startServerProcess, type ServerProcess } from "./support/server-process";
import { codeOf, postGraphQL } from "./support/process-client";
import { LOGIN, ME, REFRESH, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD } from "./support/accounts";

const CHANGE_PASSWORD = /* GraphQL */ `mutation Change($input: ChangePasswordInput!) { changePassword(input: $input) }`;
const NEW_PASSWORD = "copper-meadow-signal-77";

// When PostgreSQL goes away the identity service must say so quickly and clearly, keep running,
// and pick up again by itself when it is back. Its own PostgreSQL, so the test can stop it.
describe("a server whose PostgreSQL stops, hangs and comes back", () => {
  let pg: PrivatePostgres;
  let server: ServerProcess;
  let databaseUrl: string;
  const username = `outage_${randomBytes(3).toString("hex")}`;
  let token: string;
  let refreshToken: string;
  let userId: string;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    databaseUrl = await pg.createDatabase("latchkey_outage");
    server = await startServerProcess({
      DATABASE_URL: databaseUrl,
      APP_SECRET: "outage-secret-outage-secret-outage-secret-1",
      DATA_DIR: `/tmp/latchkey-outage-${randomBytes(4).toString("hex")}`,
      // Background jobs run all through the outage, so a rejection they leak would show.
      MAINTENANCE_INTERVAL: "200ms",
      MAIL_POLL_INTERVAL: "200ms",
      DATABASE_CONNECT_TIMEOUT: "1s",
      DATABASE_STATEMENT_TIMEOUT: "1s",
    });
    const registered = await postGraphQL(server.url, REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email: `${username}@example.com` } });
    userId = registered.body.data.register.userId;
    const login = await postGraphQL(server.url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } });
    token = login.body.data.login.accessToken;
    refreshToken = login.body.data.login.refreshToken;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await pg?.destroy();
  });

  const alive = () => server.child.exitCode === null && server.child.signalCode === null;

  it("answers SERVICE_UNAVAILABLE within a second while PostgreSQL is stopped, with /readyz 503 and /healthz 200", async () => {
    await pg.stop("fast");
    const attempts = {
      "me (session lookup while building the context)": () => postGraphQL(server.url, ME, {}, token),
      "login (a plain query)": () => postGraphQL(server.url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } }),
      "register (an interactive transaction)": () =>
        postGraphQL(server.url, REGISTER, { input: { username: `${username}_b`, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } }),
      "refreshSession (raw SQL)": () => postGraphQL(server.url, REFRESH, { token: refreshToken }),
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      const result = await attempt();
      expect({ name, code: codeOf(result.body) }).toEqual({ name, code: "SERVICE_UNAVAILABLE" });
      expect(result.ms).toBeLessThan(1_500);
      expect(JSON.stringify(result.body)).not.toMatch(/prisma|ECONNREFUSED|127\.0\.0\.1/i);
    }
    // No viewer can be built without the database: the whole request is unavailable, 503.
    expect((await postGraphQL(server.url, ME, {}, token)).status).toBe(503);

    // The warning about the failed session lookup carries the id the answer's header shows.
    const requestId = `outage-${randomBytes(4).toString("hex")}`;
    const tagged = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": requestId },
      body: JSON.stringify({ query: ME }),
    });
    expect(tagged.headers.get("x-request-id")).toBe(requestId);
    expect((await server.waitForLog((line) => line.msg === "database unavailable" && line.reqId === requestId)).level).toBe(40);

    const started = Date.now();
    const readiness = await fetch(`${server.url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2_500);
    // It names the database as the check that failed, without its address.
    const readyBody = (await readiness.json()) as { status: string; checks: Record<string, string> };
    expect(readyBody.status).toBe("unready");
    expect(readyBody.checks.database).toMatch(/^failed: \S/);
    expect(JSON.stringify(readyBody)).not.toContain(databaseUrl);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);

    // Every background job has had a failing run during the outage, and the process lives on.
    await server.waitForLog((line) => line.msg === "background job failed" && line.job === "refresh-signing-keys");
    await server.waitForLog((line) => line.msg === "background job failed" && line.job === "prune-sessions");
    await server.waitForLog((line) => line.msg === "background pass failed; will try again" && line.worker === "mail");
    expect(alive()).toBe(true);
    expect(server.logs().filter((line) => line.level >= 60)).toEqual([]);
  });

  it("serves again by itself within 5 seconds of PostgreSQL's return", async () => {
    await pg.start();
    const back = Date.now();
    let served = false;
    while (!served && Date.now() - back < 10_000) served = codeOf((await postGraphQL(server.url, ME, {}, token)).body) === "OK";
    const tookMs = Date.now() - back;
    expect(served).toBe(true);
    expect(tookMs).toBeLessThan(5_000);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    // Every pooled connection is usable again, not only the first one tried.
    const burst = await Promise.all(Array.from({ length: 20 }, () => postGraphQL(server.url, ME, {}, token)));
    expect(burst.map((r) => codeOf(r.body))).toEqual(Array(20).fill("OK"));
  });

  it("answers SERVICE_UNAVAILABLE within the timeouts while PostgreSQL accepts connections but never answers", async () => {
    await postGraphQL(server.url, ME, {}, token); // pooled connections exist and will hang
    await pg.freeze();
    try {
      const results = await Promise.all([
        postGraphQL(server.url, ME, {}, token),
        postGraphQL(server.url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } }),
        postGraphQL(server.url, REGISTER, { input: { username: `${username}_c`, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } }),
      ]);
      for (const result of results) {
        expect(codeOf(result.body)).toBe("SERVICE_UNAVAILABLE");
        // DATABASE_STATEMENT_TIMEOUT=1s: the client gives up on a silent server a second later.
        expect(result.ms).toBeLessThan(4_000);
      }
      const started = Date.now();
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      await pg.thaw();
    }
    const back = Date.now();
    let served = false;
    while (!served && Date.now() - back < 10_000) served = codeOf((await postGraphQL(server.url, ME, {}, token)).body) === "OK";
    expect(served).toBe(true);
    expect(Date.now() - back).toBeLessThan(5_000);
    expect(alive()).toBe(true);
  });

  describe("a failure inside changePassword's transaction", () => {
    let blocker: Client;

    // Holds the user's row lock, so changePassword waits inside its transaction until we act.
    const blockUserRow = async () => {
      blocker = new Client({ connectionString: databaseUrl });
      await blocker.connect();
      await blocker.query("BEGIN");
      await blocker.query(`SELECT id FROM "User" WHERE id = $1 FOR UPDATE`, [userId]);
    };
    const waitingBackend = async (): Promise<number> => {
      for (;;) {
        const rows = await pg.query("latchkey_outage", `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = 'latchkey_outage'`);
        if (rows.length > 0) return rows[0].pid;
      }
    };
    const currentPasswords = () =>
      pg.query("latchkey_outage", `SELECT count(*)::int AS n FROM "Credential" WHERE "userId" = $1 AND kind = 'PASSWORD' AND "isCurrent"`, [userId]);

    afterEach(async () => {
      await blocker?.query("ROLLBACK").catch(() => undefined);
      await blocker?.end().catch(() => undefined);
    });

    it("is SERVICE_UNAVAILABLE when its connection is terminated, and changes nothing", async () => {
      await blockUserRow();
      const change = postGraphQL(server.url, CHANGE_PASSWORD, { input: { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD } }, token);
      const pid = await waitingBackend();
      await pg.query("latchkey_outage", "SELECT pg_terminate_backend($1)", [pid]);
      const result = await change;
      expect(codeOf(result.body)).toBe("SERVICE_UNAVAILABLE");
      await blocker.query("ROLLBACK");
      expect(await currentPasswords()).toEqual([{ n: 1 }]);
      expect(codeOf((await postGraphQL(server.url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } })).body)).toBe("OK");
    });

    it("is SERVICE_UNAVAILABLE within the statement timeout when it waits too long, and changes nothing", async () => {
      await blockUserRow();
      const result = await postGraphQL(server.url, CHANGE_PASSWORD, { input: { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD } }, token);
      expect(codeOf(result.body)).toBe("SERVICE_UNAVAILABLE");
      expect(result.ms).toBeLessThan(4_000);
      await blocker.query("ROLLBACK");
      expect(await currentPasswords()).toEqual([{ n: 1 }]);
    });
  });

  it("is still the same process, which never logged a fatal error or an unexpected one", () => {
    expect(alive()).toBe(true);
    const bad = server.logs().filter((line) => line.level >= 60 || line.msg === "unexpected error" || line.msg === "unhandled request error");
    expect(bad).toEqual([]);
  });
});

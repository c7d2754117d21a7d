import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import sharp from "sharp";
import { createPostgresDatabase } from "./support/databases";
import { startServerProcess, type ServerProcess } from "./support/server-process";
import { codeOf, postGraphQL } from "./support/process-client";
import { LOGIN, REFRESH, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD } from "./support/accounts";
import { makeImage, uploadAvatar } from "./support/uploads";
import type { TestServer } from "./support/test-server";
import { RATE_LIMIT_KEYS } from "../src/limits/rate-limit-rules";

const CHANGE_PASSWORD = /* GraphQL */ `mutation Change($input: ChangePasswordInput!) { changePassword(input: $input) }`;
const NEW_PASSWORD = "copper-meadow-signal-77";

// A server killed outright (SIGKILL: no shutdown, no cleanup) while many writes are in flight
// must leave the database and the avatar folder whole: every write either happened entirely or
// not at all. The kill comes right after the first of many concurrent requests is seen to have
// written something, so the others are caught at every stage.
describe("SIGKILL in the middle of writes on PostgreSQL", () => {
  let server: ServerProcess;
  let sql: Client;
  let drop: () => Promise<void>;
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    drop = database.drop;
    dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-crash-"));
    env = {
      DATABASE_URL: database.url,
      APP_SECRET: "crash-secret-crash-secret-crash-secret-00001",
      DATA_DIR: dataDir,
      LOGIN_LOCKOUT_THRESHOLD: "1000",
      // "A retired token never works": without the two-tabs grace, which would hand it its successor.
      REFRESH_REUSE_INTERVAL: "0",
      ...Object.fromEntries(RATE_LIMIT_KEYS.map((key) => [`RATE_LIMIT_${key}`, "100000/1m"])),
    };
    server = await startServerProcess(env);
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await sql?.end();
    await drop?.();
  });

  const rows = async <T = any>(text: string, params: unknown[] = []) => (await sql.query(text, params)).rows as T[];

  /** Waits until `started` sees the first write land, kills the server, then starts it again. */
  const killWhenStarted = async (requests: Array<Promise<unknown>>, started: () => Promise<boolean>, beforeRestart?: () => void) => {
    while (!(await started())) {
      // The first request has not written anything yet.
    }
    server.child.kill("SIGKILL");
    await server.exited();
    const outcomes = await Promise.allSettled(requests);
    beforeRestart?.();
    server = await startServerProcess(env);
    return outcomes;
  };

  const register = (username: string) =>
    postGraphQL(server.url, REGISTER, { input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY } });
  const login = (username: string, password = STRONG_PASSWORD) =>
    postGraphQL(server.url, LOGIN, { input: { identifier: username, password } });
  const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}_${i}_${randomBytes(3).toString("hex")}`);

  /** Registers and signs in `count` accounts (before any crash), `sessions` sign-ins each. */
  const accounts = async (prefix: string, count: number, sessions = 1) => {
    const list = [];
    for (const username of names(prefix, count)) {
      const registered = await register(username);
      const tokens = [];
      for (let i = 0; i < sessions; i++) tokens.push((await login(username)).body.data.login);
      list.push({ username, id: registered.body.data.register.userId as string, tokens });
    }
    return list;
  };

  it("register: every account that exists has its credentials, profile and audit event; the rest can register again", async () => {
    const usernames = names("crash_reg", 24);
    const lowered = usernames.map((u) => u.toLowerCase());
    const outcomes = await killWhenStarted(
      usernames.map((u) => register(u)),
      async () => (await rows(`SELECT 1 FROM "User" WHERE "usernameNormalized" = ANY($1) LIMIT 1`, [lowered])).length > 0,
    );
    expect(outcomes.some((o) => o.status === "rejected")).toBe(true); // some were cut off

    const broken = await rows(
      `SELECT u.username FROM "User" u WHERE u."usernameNormalized" = ANY($1) AND (
         (SELECT count(*) FROM "Credential" c WHERE c."userId" = u.id AND c.kind = 'PASSWORD' AND c."isCurrent") <> 1 OR
         (SELECT count(*) FROM "Credential" c WHERE c."userId" = u.id AND c.kind = 'SECRET_PASSKEY' AND c."isCurrent") <> 1 OR
         NOT EXISTS (SELECT 1 FROM "Profile" p WHERE p."userId" = u.id) OR
         NOT EXISTS (SELECT 1 FROM "AuditEvent" a WHERE a."userId" = u.id AND a.type = 'REGISTERED'))`,
      [lowered],
    );
    expect(broken).toEqual([]);
    const existing = new Set((await rows(`SELECT "usernameNormalized" AS n FROM "User" WHERE "usernameNormalized" = ANY($1)`, [lowered])).map((r) => r.n));
    expect(existing.size).toBeGreaterThan(0);
    expect(existing.size).toBeLessThan(usernames.length);

    for (const username of usernames) {
      if (existing.has(username.toLowerCase())) expect(codeOf((await login(username)).body)).toBe("OK");
      else expect(codeOf((await register(username)).body)).toBe("OK");
    }
  });

  it("changePassword: one current password per account, and either the whole change (other sessions signed out) or none of it", async () => {
    const list = await accounts("crash_pw", 10, 2);
    const ids = list.map((a) => a.id);
    const outcomes = await killWhenStarted(
      list.map((a) => postGraphQL(server.url, CHANGE_PASSWORD, { input: { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD } }, a.tokens[0].accessToken)),
      async () => (await rows(`SELECT 1 FROM "AuditEvent" WHERE type = 'PASSWORD_CHANGED' AND "userId" = ANY($1) LIMIT 1`, [ids])).length > 0,
    );
    expect(outcomes.some((o) => o.status === "rejected")).toBe(true);

    expect(
      await rows(
        `SELECT "userId", count(*) FILTER (WHERE "isCurrent") AS current FROM "Credential"
         WHERE "userId" = ANY($1) AND kind = 'PASSWORD' GROUP BY "userId" HAVING count(*) FILTER (WHERE "isCurrent") <> 1`,
        [ids],
      ),
    ).toEqual([]);
    let changed = 0;
    for (const account of list) {
      const audit = await rows(`SELECT 1 FROM "AuditEvent" WHERE type = 'PASSWORD_CHANGED' AND "userId" = $1`, [account.id]);
      const passwords = await rows(`SELECT 1 FROM "Credential" WHERE kind = 'PASSWORD' AND "userId" = $1`, [account.id]);
      const [other] = await rows(`SELECT "revokedAt" FROM "Session" WHERE id = $1`, [account.tokens[1].session.id]);
      const done = audit.length === 1;
      if (done) changed++;
      // The new credential, the audit event and the other session's revocation: all or nothing.
      expect({ username: account.username, passwords: passwords.length, otherRevoked: other.revokedAt !== null }).toEqual({
        username: account.username,
        passwords: done ? 2 : 1,
        otherRevoked: done,
      });
      expect(codeOf((await login(account.username, done ? NEW_PASSWORD : STRONG_PASSWORD)).body)).toBe("OK");
      expect(codeOf((await login(account.username, done ? STRONG_PASSWORD : NEW_PASSWORD)).body)).toBe("UNAUTHENTICATED");
    }
    expect(changed).toBeGreaterThan(0);
  });

  it("refreshSession: every session keeps exactly one live refresh token, and a retired one never works", async () => {
    const list = await accounts("crash_rt", 6, 3);
    const sessions = list.flatMap((a) => a.tokens.map((t: any) => ({ id: t.session.id as string, refreshToken: t.refreshToken as string })));
    const sessionIds = sessions.map((s) => s.id);
    const outcomes = await killWhenStarted(
      sessions.flatMap((s) => [s, s].map(() => postGraphQL(server.url, REFRESH, { token: s.refreshToken }))),
      async () => (await rows(`SELECT 1 FROM "RefreshToken" WHERE "sessionId" = ANY($1) AND "retiredAt" IS NOT NULL LIMIT 1`, [sessionIds])).length > 0,
    );
    expect(outcomes.some((o) => o.status === "rejected")).toBe(true);

    // Rotation retires one token and issues its successor together: never two live, never none.
    expect(
      await rows(
        `SELECT "sessionId", count(*) FILTER (WHERE "retiredAt" IS NULL) AS live, count(*) AS total FROM "RefreshToken"
         WHERE "sessionId" = ANY($1) GROUP BY "sessionId"
         HAVING count(*) FILTER (WHERE "retiredAt" IS NULL) <> 1 OR count(*) <> count(*) FILTER (WHERE "retiredAt" IS NOT NULL) + 1`,
        [sessionIds],
      ),
    ).toEqual([]);
    let rotated = 0;
    for (const session of sessions) {
      const [token] = await rows(
        `SELECT t."retiredAt", s."revokedAt" FROM "RefreshToken" t JOIN "Session" s ON s.id = t."sessionId"
         WHERE t."sessionId" = $1 ORDER BY t."createdAt" ASC LIMIT 1`,
        [session.id],
      );
      if (token.retiredAt) rotated++;
      const usable = !token.retiredAt && !token.revokedAt;
      const result = await postGraphQL(server.url, REFRESH, { token: session.refreshToken });
      expect({ session: session.id, code: codeOf(result.body) }).toEqual({ session: session.id, code: usable ? "OK" : "UNAUTHENTICATED" });
    }
    expect(rotated).toBeGreaterThan(0);
  });

  it("uploadAvatar: a served avatar is always a whole image, and files left mid-upload are never served and are cleared", async () => {
    const list = await accounts("crash_av", 12);
    const avatarDir = path.join(dataDir, "avatars");
    const image = await makeImage("png", 400, 300);
    const target = { url: server.url } as TestServer;
    const isTemp = (name: string) => name.startsWith(".upload-");
    const planted = { stale: path.join(avatarDir, `.upload-${"a".repeat(16)}.tmp`), fresh: path.join(avatarDir, `.upload-${"b".repeat(16)}.tmp`) };

    await killWhenStarted(
      list.map((a) => uploadAvatar(target, a.tokens[0].accessToken, image, { contentType: "image/png" })),
      // The first avatar moved into place: the others are being read, re-encoded or written.
      async () => (await readdir(avatarDir).catch(() => [] as string[])).some((name) => name.endsWith(".png") && !isTemp(name)),
      () => {
        // A half-written upload as a crash leaves it, old enough to be nobody's upload in
        // progress; and a fresh one, as another process sharing the folder would have.
        writeFileSync(planted.stale, image.subarray(0, image.length / 2));
        writeFileSync(planted.fresh, image.subarray(0, image.length / 2));
        const anHourAgo = new Date(Date.now() - 60 * 60_000);
        for (const name of readdirSync(avatarDir)) {
          if (isTemp(name) && path.join(avatarDir, name) !== planted.fresh) utimesSync(path.join(avatarDir, name), anHourAgo, anHourAgo);
        }
      },
    );

    // The restart cleared the stale temporary files, but not one that may be in progress.
    const left = await readdir(avatarDir);
    expect(left.filter(isTemp)).toEqual([path.basename(planted.fresh)]);
    expect((await fetch(`${server.url}/avatars/${path.basename(planted.fresh)}`)).status).toBe(404);

    let stored = 0;
    let inPlace = 0;
    for (const account of list) {
      const [user] = await rows(`SELECT "avatarExt" FROM "User" WHERE id = $1`, [account.id]);
      const file = path.join(avatarDir, `${account.id}.png`);
      if (user.avatarExt) {
        stored++;
        expect(existsSync(file)).toBe(true);
      }
      if (!existsSync(file)) continue;
      inPlace++;
      // Whatever is in place (renamed in before the commit, or after) is a whole image.
      const response = await fetch(`${server.url}/avatars/${account.id}.png`);
      expect(response.status).toBe(200);
      const served = Buffer.from(await response.arrayBuffer());
      expect(served.equals(readFileSync(file))).toBe(true);
      const decoded = await sharp(served).raw().toBuffer({ resolveWithObject: true });
      expect([decoded.info.width, decoded.info.height]).toEqual([400, 300]);
    }
    expect(inPlace).toBeGreaterThan(0);
    expect(stored).toBeLessThan(list.length);
  });
});

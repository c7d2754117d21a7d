import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServerProcess, type ServerProcess } from "./support/server-process";
import { postGraphQL } from "./support/process-client";
import { LOGIN, ME, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, uniqueName } from "./support/accounts";
import { ADMIN_ENV, AUDIT_LOG } from "./support/admin";
import { logLines, runOperatorCommand } from "./support/operator-command";
import { EmbeddedDatabaseInUseError, LOCK_STALE_MS, lockEmbeddedDatabase } from "../src/db/embedded-lock";

// Two processes on one PGlite folder each keep their own view of it: `npm run admin -- promote`
// beside the running server said it succeeded, and the change and its audit event were lost.
// The process that opens the folder now holds a lock; every other one refuses before writing.
describe("the embedded database's folder lock", () => {
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  const username = uniqueName("ada");

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-lock-"));
    // No DATABASE_URL: the embedded database in DATA_DIR/pglite, as a first install runs.
    // The bootstrap ADMIN lets the account under test step down again (the last ADMIN cannot).
    env = { DATA_DIR: dataDir, DATABASE_URL: "", APP_SECRET: "lock-test-secret-lock-test-secret-0123456789", ...ADMIN_ENV };
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const signIn = async (url: string) => {
    const { body } = await postGraphQL(url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } });
    expect(body.errors).toBeUndefined();
    return body.data.login as { accessToken: string; user: { id: string } };
  };
  const roleOf = async (url: string) => {
    const { accessToken } = await signIn(url);
    return (await postGraphQL(url, ME, {}, accessToken)).body.data.me.role as string;
  };
  const inUse = (pid: number) => new RegExp(`^DATA_DIR ${dataDir} is in use: a Latchkey server \\(pid ${pid}\\) .*Stop the server first, or set DATABASE_URL`, "m");

  it("refuses every command while the server runs, loses nothing, and applies the change once it stops", async () => {
    server = await startServerProcess(env, { startTimeoutMs: 120_000 });
    const registered = await postGraphQL(server.url, REGISTER, {
      input: { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email: `${username}@example.com` },
    });
    expect(registered.body.errors).toBeUndefined();
    const userId = registered.body.data.register.userId as string;
    const pid = server.child.pid!;

    const [admin, migrate, rotate, seed] = await Promise.all([
      runOperatorCommand("admin", ["promote", username], env),
      runOperatorCommand("migrate", [], env),
      runOperatorCommand("rotate-keys", [], env),
      runOperatorCommand("seed", ["--users", "1"], env),
    ]);
    for (const refused of [admin, migrate, rotate, seed]) {
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(inUse(pid));
    }
    expect(logLines(admin).map((line) => line.msg)).not.toContain("role changed");
    expect(seed.stdout).not.toContain("Created");

    // A second server on the same DATA_DIR refuses the same way, with one log line.
    const second = await startServerProcess(env, { startTimeoutMs: 120_000 }).then(
      (started) => started.stop().then(() => "started"),
      (error: Error) => error.message,
    );
    expect(second).toMatch(/^server exited with 1:\n/);
    const refusal = second.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
    expect(refusal).toEqual([expect.objectContaining({ level: 60, dataDir, holderPid: pid, msg: expect.stringMatching(inUse(pid)) })]);

    // The running server never noticed: it still serves, and nothing changed under it.
    expect(await roleOf(server.url)).toBe("USER");
    await server.stop();
    server = undefined;
    expect(existsSync(path.join(dataDir, "pglite.lock"))).toBe(false); // released at a clean stop

    const promoted = await runOperatorCommand("admin", ["promote", username], env);
    expect(promoted.code).toBe(0);
    expect(logLines(promoted).at(-1)).toMatchObject({ msg: "role changed", userId, from: "USER", to: "ADMIN" });

    server = await startServerProcess(env, { startTimeoutMs: 120_000 });
    const { accessToken } = await signIn(server.url);
    expect((await postGraphQL(server.url, ME, {}, accessToken)).body.data.me.role).toBe("ADMIN");
    const audit = await postGraphQL(server.url, AUDIT_LOG, { filter: { userId, type: "ROLE_CHANGED" } }, accessToken);
    expect(audit.body.errors).toBeUndefined();
    const events = audit.body.data.auditLog.edges.map((edge: any) => ({ ...edge.node, metadata: JSON.parse(edge.node.metadata) }));
    expect(events).toEqual([
      expect.objectContaining({ type: "ROLE_CHANGED", userId, actorId: null, userAgent: "latchkey admin promote", metadata: { from: "USER", to: "ADMIN" } }),
    ]);
  }, 600_000);

  it("takes over at once the lock of a server killed outright on this host", async () => {
    server ??= await startServerProcess(env, { startTimeoutMs: 120_000 });
    const killed = server;
    server = undefined;
    killed.child.kill("SIGKILL");
    await killed.exited();
    // SIGKILL leaves the lock behind, naming the dead process.
    expect(JSON.parse(readFileSync(path.join(dataDir, "pglite.lock.json"), "utf8"))).toMatchObject({ pid: killed.child.pid });

    const moderator = await runOperatorCommand("admin", ["role", username, "MODERATOR"], env);
    expect(moderator.stderr).toContain("is now MODERATOR (was ADMIN)"); // the change made before the kill is there
    expect(moderator.code).toBe(0);
    expect(existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);
  }, 300_000);

  it("honours a lock held from another host until it has not been renewed for the stale time", async () => {
    // What a server on another machine sharing this folder (or a container since recreated) leaves.
    const lockPath = path.join(dataDir, "pglite.lock");
    rmSync(lockPath, { recursive: true, force: true });
    mkdirSync(lockPath);
    const info = statSync(lockPath);
    writeFileSync(`${lockPath}.json`, JSON.stringify({ pid: 4242, host: "other-host", command: "main.js", lockId: `${info.ino}:${info.birthtimeMs}` }));

    const refused = await runOperatorCommand("admin", ["demote", username], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`DATA_DIR ${dataDir} is in use: a Latchkey server (pid 4242 on host other-host)`);
    expect(refused.stderr).toContain(`its lock expires ${LOCK_STALE_MS / 1000} s after it stopped`);

    // Not renewed for longer than the stale time: the holder is gone.
    const past = new Date(Date.now() - LOCK_STALE_MS - 5_000);
    utimesSync(lockPath, past, past);
    const demoted = await runOperatorCommand("admin", ["demote", username], env);
    expect(demoted.stderr).toContain("is now USER (was MODERATOR)");
    expect(demoted.code).toBe(0);
  }, 300_000);

  it("stops a server whose lock is taken from it instead of serving beside another process", async () => {
    const running = (server = await startServerProcess(env, { startTimeoutMs: 120_000 }));
    // What another host's process does once it judges the lock stale.
    rmSync(path.join(dataDir, "pglite.lock"), { recursive: true });
    const lost = await running.waitForLog((line) => line.level === 60, 60_000);
    expect(lost).toMatchObject({ dataDir, msg: "the embedded database's lock was lost; stopping" });
    expect(await running.exited()).toBe(1);
    server = undefined;
  }, 300_000);

  it("refuses a second holder in the same process and frees the folder on release", async () => {
    const folder = path.join(dataDir, "in-process");
    const lost: Error[] = [];
    const first = await lockEmbeddedDatabase(folder, (error) => lost.push(error));
    const second = lockEmbeddedDatabase(folder, (error) => lost.push(error));
    await expect(second).rejects.toBeInstanceOf(EmbeddedDatabaseInUseError);
    await expect(second).rejects.toThrow(`pid ${process.pid}`);
    await first.release();
    expect(existsSync(`${folder}.lock`)).toBe(false);
    const again = await lockEmbeddedDatabase(folder, (error) => lost.push(error));
    await again.release();
    expect(lost).toEqual([]);
  });
});

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTestServer } from "./support/test-server";
import { createPostgresDatabase, testDatabases } from "./support/databases";
import { registerUser, type RegisteredUser } from "./support/accounts";
import { logLines, runOperatorCommand, type CommandResult } from "./support/operator-command";

const root = path.join(__dirname, "..");
const APP_SECRET = "admin-command-secret-admin-command-secret-01";

/** `npm run admin -- ...` itself, so the test covers what the package's script runs. */
function npmRunAdmin(args: string[], env: Record<string, string>): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["run", "--silent", "admin", "--", ...args],
      { cwd: root, env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "info", APP_SECRET, ...env }, timeout: 150_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

// The operator's way to change roles: every role, help that lists them, no build before each call.
describe("npm run admin", () => {
  it("runs the TypeScript entry directly, without compiling the project first", () => {
    const scripts = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts as Record<string, string>;
    // A build before each call took 19-38 s; the register hook compiles only what the command loads.
    for (const [name, entry] of [
      ["admin", "admin"],
      ["migrate", "migrate"],
      ["keys:rotate", "rotate-keys"],
      ["seed", "seed"],
    ]) {
      expect(scripts[name]).toBe(`node -r @swc-node/register scripts/${entry}.ts`);
    }
  });

  it("prints the usage, naming every command and role, for --help and with no arguments", async () => {
    const [help, bare] = await Promise.all([runOperatorCommand("admin", ["--help"], {}), runOperatorCommand("admin", [], {})]);
    for (const result of [help, bare]) {
      expect(result.code).toBe(0);
      for (const word of ["promote <username>", "demote <username>", "role <username> <role>", "USER", "MODERATOR", "ADMIN", "node dist/scripts/admin.js"]) {
        expect(result.stdout).toContain(word);
      }
    }
  });

  it("answers an unknown command or a bad argument with the usage and exit code 2", async () => {
    const results = await Promise.all([
      runOperatorCommand("admin", ["elevate", "ada"], {}),
      runOperatorCommand("admin", ["role", "ada", "OWNER"], {}),
      runOperatorCommand("admin", ["promote"], {}),
    ]);
    expect(results.map((result) => result.code)).toEqual([2, 2, 2]);
    expect(results[0].stderr).toMatch(/^unknown command "elevate"\n\nUsage: npm run admin/);
    expect(results[1].stderr).toMatch(/^unknown role "OWNER" \(USER, MODERATOR or ADMIN\)\n\nUsage:/);
    expect(results[2].stderr).toMatch(/^promote needs a username\n\nUsage:/);
    for (const result of results) expect(result.stdout).toBe("");
  });

  it("reports bad settings as the server does: every problem on its own line, exit code 2, no stack", async () => {
    const result = await runOperatorCommand("admin", ["promote", "ada"], { DATABASE_URL: "mysql://root:hunter2@db/app", LOG_LEVEL: "loud" });
    expect(result.code).toBe(2);
    const problems = result.stderr.split("\n").filter((line) => line.startsWith("  - "));
    expect(problems).toHaveLength(2);
    expect(problems.join("\n")).toMatch(/DATABASE_URL/);
    expect(problems.join("\n")).toMatch(/LOG_LEVEL/);
    expect(result.stdout + result.stderr).not.toMatch(/hunter2|\n\s+at /);
  });
});

describe.each(testDatabases)("npm run admin on %s", (kind) => {
  let dataDir: string;
  let postgres: { url: string; drop(): Promise<void> } | undefined;
  let env: Record<string, string>;
  let user: RegisteredUser;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-admin-command-"));
    postgres = kind === "postgres" ? await createPostgresDatabase() : undefined;
    env = { DATA_DIR: dataDir, APP_SECRET, DATABASE_URL: postgres?.url ?? "" };
    // The account is made by the server, which is then stopped: the embedded database is one process's.
    const server = await startTestServer(kind, { dataDir, pgliteDataDir: path.join(dataDir, "pglite"), databaseUrl: postgres?.url });
    try {
      user = await registerUser(server);
    } finally {
      await server.stop();
    }
  }, 180_000);
  afterAll(async () => {
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const roleAndEvents = async () => {
    const server = await startTestServer(kind, { dataDir, pgliteDataDir: path.join(dataDir, "pglite"), databaseUrl: postgres?.url });
    try {
      const prisma = server.app.database.prisma;
      const { role } = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      const events = await prisma.auditEvent.findMany({ where: { userId: user.id, type: "ROLE_CHANGED" }, orderBy: { createdAt: "asc" } });
      return { role, changes: events.map((event) => ({ actorId: event.actorId, userAgent: event.userAgent, metadata: event.metadata })) };
    } finally {
      await server.stop();
    }
  };

  it("sets MODERATOR with `role`, says so in words and in the log, and records the change", async () => {
    const result = await npmRunAdmin(["role", user.username, "MODERATOR"], env);
    expect(result.stderr).toBe(`${user.username} is now MODERATOR (was USER); recorded in the audit trail as ROLE_CHANGED.\n`);
    expect(result.code).toBe(0);
    expect(logLines(result).at(-1)).toMatchObject({ msg: "role changed", command: "role", userId: user.id, from: "USER", to: "MODERATOR" });

    const again = await runOperatorCommand("admin", ["role", user.username.toUpperCase(), "moderator"], env);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`${user.username} is already MODERATOR; nothing changed.\n`);

    expect(await roleAndEvents()).toEqual({
      role: "MODERATOR",
      changes: [{ actorId: null, userAgent: "latchkey admin role", metadata: { from: "USER", to: "MODERATOR" } }],
    });
  }, 300_000);

  it("promotes and demotes, and names an unknown account clearly with exit code 1", async () => {
    const promoted = await runOperatorCommand("admin", ["promote", user.username], env);
    expect(promoted.stderr).toContain("is now ADMIN (was MODERATOR)");
    // The only ADMIN may not step down; the command says why and changes nothing.
    const lastAdmin = await runOperatorCommand("admin", ["demote", user.username], env);
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.stderr).toBe("Nothing changed: The last active ADMIN cannot be demoted; promote another account first.\n");

    const unknown = await runOperatorCommand("admin", ["role", "no_such_account", "ADMIN"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('Nothing changed: no account is named "no_such_account".\n');
    expect(logLines(unknown).at(-1)).toMatchObject({ code: "NOT_FOUND", username: "no_such_account" });

    expect((await roleAndEvents()).role).toBe("ADMIN");
  }, 300_000);
});

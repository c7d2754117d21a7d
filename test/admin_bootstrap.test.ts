import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startTestServer, type TestServer, type TestServerOptions } from "./support/test-server";
import { createPostgresDatabase, testDatabases } from "./support/databases";
import { LOGIN, login, registerUser } from "./support/accounts";
import { ADMIN_ENV, ADMIN_PASSWORD, ADMIN_USERNAME } from "./support/admin";

const run = promisify(execFile);
const root = path.join(__dirname, "..");

/** Runs `scripts/admin.ts` as the operator would, returning its JSON log lines. */
async function adminCommand(args: string[], env: Record<string, string>): Promise<{ code: number; lines: any[] }> {
  const result = await run(process.execPath, ["-r", "@swc-node/register", "scripts/admin.ts", ...args], {
    cwd: root,
    env: { ...process.env, APP_SECRET: "test-secret-test-secret-test-secret-0123456789", LOG_LEVEL: "info", ...env },
  }).then(
    (out) => ({ code: 0, stdout: out.stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
  return { code: result.code, lines: result.stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line)) };
}

// Each test starts servers on a fresh embedded database (every migration from the first), and
// restarts them: on a busy machine that takes longer than the default minute.
jest.setTimeout(180_000);

// The first ADMIN comes from the environment; later ones from admins or the operator's command.
describe.each(testDatabases)("admin bootstrap and command on %s", (kind) => {
  let dataDir: string;
  let postgres: { url: string; drop(): Promise<void> } | undefined;
  let options: TestServerOptions;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-admin-"));
    postgres = kind === "postgres" ? await createPostgresDatabase() : undefined;
    options = { dataDir, pgliteDataDir: path.join(dataDir, "pglite"), databaseUrl: postgres?.url };
  });
  afterAll(async () => {
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const withServer = async <T>(env: Record<string, string>, work: (server: TestServer) => Promise<T>): Promise<T> => {
    const server = await startTestServer(kind, { ...options, env });
    try {
      return await work(server);
    } finally {
      await server.stop();
    }
  };

  it("creates the configured ADMIN at start, once, and never resets its password", async () => {
    await withServer(ADMIN_ENV, async (server) => {
      const admin = await login(server, ADMIN_USERNAME, ADMIN_PASSWORD);
      const row = await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: admin.user.id } });
      expect(row).toMatchObject({ role: "ADMIN", email: ADMIN_ENV.ADMIN_EMAIL });
      const registered = await server.app.database.prisma.auditEvent.findMany({ where: { userId: row.id, type: "REGISTERED" } });
      expect(registered.map((e) => e.metadata)).toEqual([{ role: "ADMIN" }]);
    });
    // A restart with another ADMIN_PASSWORD: the account exists, nothing changes.
    await withServer({ ...ADMIN_ENV, ADMIN_PASSWORD: "a-different-password-42" }, async (server) => {
      expect((await login(server, ADMIN_USERNAME, ADMIN_PASSWORD)).user.username).toBe(ADMIN_USERNAME);
      const { body } = await server.gql(LOGIN, { input: { identifier: ADMIN_USERNAME, password: "a-different-password-42" } });
      expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
      expect(await server.app.database.prisma.user.count({ where: { usernameNormalized: ADMIN_USERNAME } })).toBe(1);
    });
  });

  it("does not promote an account someone registered under the configured name", async () => {
    const name = "squatter_admin";
    await withServer({}, async (server) => {
      await registerUser(server, { username: name });
    });
    await withServer({ ADMIN_USERNAME: name, ADMIN_PASSWORD: "operator-chosen-password-1" }, async (server) => {
      const row = await server.app.database.prisma.user.findUniqueOrThrow({ where: { usernameNormalized: name } });
      expect(row.role).toBe("USER");
    });
  });

  it("promotes and demotes by username from the command line, recording ROLE_CHANGED without an actor", async () => {
    const user = await withServer({}, (server) => registerUser(server));
    const env: Record<string, string> = kind === "postgres" ? { DATABASE_URL: postgres!.url } : { DATA_DIR: dataDir, DATABASE_URL: "" };

    const promoted = await adminCommand(["promote", user.username.toUpperCase()], env);
    expect(promoted.code).toBe(0);
    expect(promoted.lines.at(-1)).toMatchObject({ msg: "role changed", username: user.username, from: "USER", to: "ADMIN" });

    await withServer({}, async (server) => {
      const prisma = server.app.database.prisma;
      expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("ADMIN");
      const [event] = await prisma.auditEvent.findMany({ where: { userId: user.id, type: "ROLE_CHANGED" } });
      expect(event).toMatchObject({ actorId: null, userAgent: "latchkey admin promote", metadata: { from: "USER", to: "ADMIN" } });
    });

    // The bootstrap admin from the first test is still there, so this one may step down.
    const demoted = await adminCommand(["demote", user.username], env);
    expect(demoted.lines.at(-1)).toMatchObject({ to: "USER" });
    const unknown = await adminCommand(["promote", "no_such_user"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.lines.at(-1)).toMatchObject({ code: "NOT_FOUND" });
    const usage = await adminCommand(["elevate", user.username], env);
    expect(usage.code).toBe(2);
  }, 180_000);
});

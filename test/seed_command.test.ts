import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startTestServer } from "./support/test-server";
import { createPostgresDatabase, testDatabases } from "./support/databases";
import { LOGIN } from "./support/accounts";

const run = promisify(execFile);
const root = path.join(__dirname, "..");

/** `npm run seed`, as a user runs it: a separate process on the configured database. */
function seed(env: Record<string, string>, ...args: string[]) {
  return run(process.execPath, ["-r", "@swc-node/register", "scripts/seed.ts", ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "test", PASSWORD_HASH: "argon2id", LOG_LEVEL: "warn", ...env },
    timeout: 120_000,
  });
}

describe.each(testDatabases)("npm run seed on %s", (kind) => {
  it("creates N users with full fake profiles in batches, sharing one password hash, and runs again without clashes", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-seed-"));
    const postgres = kind === "postgres" ? await createPostgresDatabase() : undefined;
    const env = { DATA_DIR: dataDir, APP_SECRET: "seed-test-secret-seed-test-secret-0123456789", ...(postgres ? { DATABASE_URL: postgres.url } : {}) };
    try {
      const first = await seed(env, "--users", "25", "--batch", "10", "--password", "seeded-password-for-tests");
      expect(first.stdout).toMatch(/hashed once .* reused for every seeded user/);
      expect(first.stdout).toContain("Created 25 users");
      await seed(env, "--users", "5");

      const server = await startTestServer(kind, {
        dataDir,
        pgliteDataDir: path.join(dataDir, "pglite"),
        ...(postgres ? { databaseUrl: postgres.url } : {}),
      });
      try {
        const prisma = server.app.database.prisma;
        expect(await prisma.user.count()).toBe(30);
        const profiles = await prisma.profile.findMany();
        expect(profiles).toHaveLength(30);
        for (const profile of profiles) {
          for (const field of ["name", "contact", "address", "occupation", "hobby", "highestQualification", "dateOfBirth"] as const) {
            expect([field, profile[field]]).toEqual([field, expect.anything()]);
          }
        }
        const passwords = await prisma.credential.findMany({ where: { kind: "PASSWORD" }, select: { hash: true } });
        expect(passwords).toHaveLength(30);
        expect(new Set(passwords.map((row) => row.hash)).size).toBe(2); // one hash per run

        // The output names sample accounts of the run; they sign in with the run's password.
        const firstRunUser = (await prisma.user.findMany({ orderBy: { username: "asc" } })).find((user) =>
          first.stdout.includes(user.username),
        )!;
        const { body } = await server.gql(LOGIN, { input: { identifier: firstRunUser.username, password: "seeded-password-for-tests" } });
        expect(body.data.login).toMatchObject({ __typename: "AuthPayload", user: { id: firstRunUser.id } });
      } finally {
        await server.stop();
      }
    } finally {
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses a bad --users value", async () => {
    await expect(seed({ DATA_DIR: tmpdir() }, "--users", "lots")).rejects.toMatchObject({ stderr: expect.stringContaining("--users") });
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTestServer } from "./support/test-server";
import { createPostgresDatabase, testDatabases } from "./support/databases";
import { ME, login, registerUser } from "./support/accounts";

const MIGRATIONS = `SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;

describe("the embedded database on disk", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-persist-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps users, sessions and signing keys across a restart", async () => {
    const options = { dataDir, pgliteDataDir: path.join(dataDir, "pglite") };
    const first = await startTestServer("pglite", options);
    const user = await registerUser(first);
    const { accessToken } = await login(first, user.username);
    await first.stop();

    const second = await startTestServer("pglite", options);
    try {
      // The token signed before the restart still verifies: the key came back from the database.
      expect((await second.gql(ME, {}, { token: accessToken })).body.data?.me.id).toBe(user.id);
      expect((await login(second, user.username)).user.id).toBe(user.id);
    } finally {
      await second.stop();
    }
  });
});

describe.each(testDatabases)("migrations on %s", (kind) => {
  it("are recorded in _prisma_migrations and applied only once", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-migrate-"));
    const postgres = kind === "postgres" ? await createPostgresDatabase() : undefined;
    const options = { dataDir, pgliteDataDir: path.join(dataDir, "pglite"), databaseUrl: postgres?.url };
    try {
      const first = await startTestServer(kind, options);
      const recorded = await first.app.database.prisma.$queryRawUnsafe<Array<{ migration_name: string; finished_at: Date | null }>>(MIGRATIONS);
      await first.stop();
      expect(recorded.length).toBeGreaterThan(0);
      for (const row of recorded) expect(row.finished_at).not.toBeNull();

      const second = await startTestServer(kind, options);
      const again = await second.app.database.prisma.$queryRawUnsafe<unknown[]>(MIGRATIONS);
      await second.stop();
      expect(again).toEqual(recorded);
    } finally {
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

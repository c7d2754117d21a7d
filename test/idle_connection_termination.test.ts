import { Client } from "pg";
import { openDatabase, type Database } from "../src/db/database";
import { createPostgresDatabase, POSTGRES_ADMIN_URL } from "./support/databases";

// PostgreSQL ends idle connections on its own (restart, failover, DROP DATABASE ... FORCE, an
// administrator's pg_terminate_backend). The pool must drop them and carry on: an error from an
// idle pooled connection with nobody listening is thrown from the socket and ends the process.
describe("a pooled connection the server terminates while idle", () => {
  let database: Database;
  let drop: () => Promise<void>;
  const errors: Array<Error & { code?: string }> = [];
  let reported: () => void = () => undefined;
  const nextReport = () => new Promise<void>((resolve) => (reported = resolve));

  beforeAll(async () => {
    const postgres = await createPostgresDatabase();
    drop = postgres.drop;
    const onConnectionError = (error: Error) => {
      errors.push(error);
      reported();
    };
    database = await openDatabase({ url: postgres.url, poolSize: 1, onConnectionError });
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  async function terminateBackendOf(pid: number): Promise<void> {
    const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    } finally {
      await admin.end();
    }
  }

  it("is reported and replaced, before Prisma's client ever connected (the direct runner alone used the pool)", async () => {
    const [{ pid }] = await database.sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`;
    const report = nextReport();
    await terminateBackendOf(pid);
    await report;
    expect(errors.map((error) => error.code)).toEqual(["57P01"]); // admin_shutdown
    const [again] = await database.sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`;
    expect(again.pid).not.toBe(pid);
  });

  it("is reported and replaced after Prisma's client disconnected, while the pool lives on", async () => {
    errors.length = 0;
    await database.prisma.$queryRaw`SELECT 1`;
    await database.prisma.$disconnect();
    const [{ pid }] = await database.sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`;
    const report = nextReport();
    await terminateBackendOf(pid);
    await report;
    expect(errors.map((error) => error.code)).toEqual(["57P01"]);
    expect((await database.sql<{ n: number }>`SELECT 1::int AS n`)[0].n).toBe(1);
  });
});

import { randomBytes } from "node:crypto";
import { Client } from "pg";

export type TestDatabaseKind = "pglite" | "postgres";

/** Every integration suite runs on both; LATCHKEY_TEST_DATABASES=pglite narrows it locally. */
export const testDatabases: TestDatabaseKind[] = (process.env.LATCHKEY_TEST_DATABASES ?? "pglite,postgres")
  .split(",")
  .map((kind) => kind.trim() as TestDatabaseKind)
  .filter((kind) => kind === "pglite" || kind === "postgres");

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty PostgreSQL database for one test file; the returned function drops it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lk_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * A machine running other work beside the suite can take seconds to start a PostgreSQL backend:
 * the production default (3s) turned a burst of requests into SERVICE_UNAVAILABLE there. Tests
 * of the timeout itself (database_outage.test.ts) set their own.
 */
export const BUSY_MACHINE_TIMEOUTS = { DATABASE_CONNECT_TIMEOUT: "30s" };

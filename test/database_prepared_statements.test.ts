import { openDatabase, planEachTime, type Database } from "../src/db/database";
import { Prisma } from "../src/generated/prisma/client";
import { createPostgresDatabase } from "./support/databases";

// PostgreSQL parses a statement once per connection when it has a name; PgBouncer in
// transaction mode cannot carry named statements, so the setting must really turn them off.
describe("prepared statements on PostgreSQL", () => {
  const opened: Database[] = [];
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    await Promise.all(opened.map((database) => database.close()));
    for (const drop of drops) await drop();
  });

  /** Statement names held by the pool's only connection after the same query ran twice. */
  async function preparedAfterRepeatedQuery(preparedStatements?: boolean): Promise<string[]> {
    const postgres = await createPostgresDatabase();
    drops.push(postgres.drop);
    const database = await openDatabase({ url: postgres.url, poolSize: 1, preparedStatements });
    opened.push(database);
    for (let i = 0; i < 2; i++) await database.prisma.$queryRaw`SELECT ${i}::int AS n, current_database() AS db`;
    for (let i = 0; i < 2; i++) await database.sql`SELECT ${i}::int AS direct`;
    await database.prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 1 AS inside_a_transaction`);
    await database.prisma.$queryRaw(planEachTime(Prisma.sql`SELECT ${"%a%"}::text AS searched`));
    const rows = await database.prisma.$queryRaw<Array<{ name: string; statement: string }>>`
      SELECT name, statement FROM pg_prepared_statements ORDER BY statement`;
    return rows.map((row) => `${row.name.slice(0, 3)} ${row.statement}`);
  }

  it("keeps each distinct statement prepared once, named, and does not name BEGIN or COMMIT", async () => {
    const prepared = await preparedAfterRepeatedQuery();
    expect(prepared).toEqual(
      expect.arrayContaining([
        `lk_ SELECT $1::int AS n, current_database() AS db`,
        `lk_ SELECT 1 AS inside_a_transaction`,
        // The hot-path statements that bypass Prisma's client (direct-sql.ts) are named too.
        `lk_ SELECT $1::int AS direct`,
      ]),
    );
    expect(prepared.filter((line) => line.includes("current_database"))).toHaveLength(1);
    expect(prepared.filter((line) => line.includes("AS direct"))).toHaveLength(1);
    expect(prepared.some((line) => /BEGIN|COMMIT/.test(line))).toBe(false);
    // A search's plan depends on its pattern: it is planned for the actual value every time.
    expect(prepared.some((line) => line.includes("searched"))).toBe(false);
  });

  it("prepares nothing with DATABASE_PREPARED_STATEMENTS=false", async () => {
    expect(await preparedAfterRepeatedQuery(false)).toEqual([]);
  });
});

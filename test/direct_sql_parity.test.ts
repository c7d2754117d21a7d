import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { openDatabase, type Database } from "../src/db/database";
import { utc } from "../src/db/sql-time";
import { uuidv7At } from "../src/db/sql-ids";
import { Prisma } from "../src/generated/prisma/client";
import { createPostgresDatabase, testDatabases } from "./support/databases";

// The hot-path statements run on the driver directly (src/db/direct-sql.ts); the services
// read their rows as if Prisma's $queryRaw had returned them. A timestamp read as local time
// instead of UTC would shift every expiry by the server's offset.
describe.each(testDatabases)("direct statements on %s return rows as $queryRaw does", (kind) => {
  let database: Database;
  let drop: (() => Promise<void>) | undefined;
  let url: string | undefined;

  beforeAll(async () => {
    if (kind === "postgres") {
      const postgres = await createPostgresDatabase();
      drop = postgres.drop;
      url = postgres.url;
      database = await openDatabase({ url });
    } else {
      database = await openDatabase({});
    }
  });
  afterAll(async () => {
    await database.close();
    await drop?.();
  });

  const at = new Date("2026-03-29T01:30:00.123Z");
  const statement = () => Prisma.sql`
    SELECT ${utc(at)}::timestamp(3) AS at, NULL::timestamp(3) AS never, ${7}::int AS n, ${"x'; --"}::text AS quoted,
           true AS yes, NULL::text AS missing, '{"a": [1, "b"]}'::jsonb AS doc, ARRAY['one', 'two'] AS list`;

  it("for every column type the hot paths read", async () => {
    const [direct] = await database.sql<Record<string, unknown>>(statement());
    const [prisma] = await database.prisma.$queryRaw<Array<Record<string, unknown>>>(statement());
    expect(direct).toEqual(prisma);
    expect((direct.at as Date).toISOString()).toBe(at.toISOString());
    expect(direct).toMatchObject({ never: null, n: 7, quoted: "x'; --", yes: true, missing: null, doc: { a: [1, "b"] }, list: ["one", "two"] });
  });

  // Jest's process.env does not reach the time zone V8 uses, so this runs in a child process.
  it.each(["America/New_York"])("reads timestamps as UTC with the process in time zone %s", async (tz) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["-r", "@swc-node/register", path.join(__dirname, "support", "direct-sql-probe.ts")],
      { env: { ...process.env, TZ: tz, PROBE_DATABASE_URL: url ?? "", PROBE_AT: at.toISOString() } },
    );
    const probe = JSON.parse(stdout) as { offset: number; direct: string; prisma: string; sameAsDate: boolean };
    expect(probe.offset).not.toBe(0); // the zone really applied
    expect(probe).toMatchObject({ direct: at.toISOString(), prisma: at.toISOString(), sameAsDate: true });
  });

  it("makes version 7 ids that sort by the time given", async () => {
    const earlier = new Date("2026-01-01T00:00:00.000Z");
    const later = new Date("2026-01-01T00:00:00.001Z");
    const [row] = await database.sql<{ a: string; b: string; c: string }>`
      SELECT ${uuidv7At(earlier)} AS a, ${uuidv7At(earlier)} AS b, ${uuidv7At(later)} AS c`;
    for (const id of Object.values(row)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row.a.slice(0, 13)).toBe("019b76da-a800"); // 2026-01-01T00:00:00Z in milliseconds, hex
    expect(row.a).not.toBe(row.b);
    expect(row.c > row.a && row.c > row.b).toBe(true);
  });

  it("takes a tagged template with its values as parameters", async () => {
    const evil = "'); DROP TABLE x; --";
    const rows = await database.sql<{ echoed: string }>`SELECT ${evil}::text AS echoed`;
    expect(rows).toEqual([{ echoed: evil }]);
  });
});

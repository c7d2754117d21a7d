// Run by direct_sql_parity.test.ts in a child process, so the process's time zone (TZ) is
// really set: prints one row read through the direct runner and through Prisma's $queryRaw.
import { openDatabase } from "../../src/db/database";
import { utc } from "../../src/db/sql-time";
import { Prisma } from "../../src/generated/prisma/client";

async function main() {
  const database = await openDatabase({ url: process.env.PROBE_DATABASE_URL || undefined });
  try {
    const at = new Date(process.env.PROBE_AT!);
    // Written through utc() and as a plain Date parameter: both must mean the same instant.
    const statement = Prisma.sql`SELECT ${utc(at)}::timestamp(3) AS at, ${utc(at)}::timestamp(3) = ${at} AS "sameAsDate"`;
    const [direct] = await database.sql<{ at: Date; sameAsDate: boolean }>(statement);
    const [prisma] = await database.prisma.$queryRaw<Array<{ at: Date }>>(statement);
    process.stdout.write(JSON.stringify({ offset: new Date(at).getTimezoneOffset(), direct: direct.at.toISOString(), sameAsDate: direct.sameAsDate, prisma: prisma.at.toISOString() }));
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

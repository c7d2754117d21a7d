import { readFileSync } from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { readMigrationsList, schemaPath } from "./migrate";
import { noFilters, openSchemaEngine } from "./schema-engine";
import { createPGlite } from "./pglite";

/**
 * The SQL that would take a database built from prisma/migrations to prisma/schema.prisma;
 * empty when they agree. Runs against a throwaway in-memory PGlite.
 */
export async function pendingMigrationSql(): Promise<string> {
  const schema = { path: schemaPath(), content: readFileSync(schemaPath(), "utf8") };
  const pglite = await createPGlite("memory://");
  // The adapter's own shadow database is a PGlite nobody closes; make ours so we can.
  const shadows: PGlite[] = [];
  const base = new PrismaPGlite(pglite);
  const engine = await openSchemaEngine(
    schema,
    {
      provider: base.provider,
      adapterName: base.adapterName,
      connect: () => base.connect(),
      connectToShadowDb: async () => {
        const shadow = await createPGlite("memory://");
        shadows.push(shadow);
        return new PrismaPGlite(shadow).connect();
      },
    },
    () => {},
  );
  try {
    const existing = readMigrationsList();
    const { stdout } = await engine.diff({
      from: existing.migrationDirectories.length ? { tag: "migrations", ...existing } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [schema] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const sql = (stdout ?? "").trim();
    return /^-- This is an empty migration\.?$/.test(sql) ? "" : sql;
  } finally {
    engine.free();
    await Promise.all([pglite, ...shadows].map((db) => db.close()));
  }
}

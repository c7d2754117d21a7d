import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { createPGlite } from "../../src/db/pglite";
import { applyMigrations, migrationsDir, schemaPath } from "../../src/db/migrate";

// Every suite starts its embedded database fresh, but initdb and the migrations cost about
// 4.5 s of CPU each time; a copy of one migrated data directory starts in about 1.3 s. The
// template is named after everything that shapes it, so a changed migration makes a new one.

function templatePath(): string {
  const hash = createHash("sha256");
  hash.update(readFileSync(path.join(require.resolve("@electric-sql/pglite"), "..", "..", "package.json")));
  hash.update(readFileSync(schemaPath()));
  for (const name of readdirSync(migrationsDir()).sort()) {
    const file = path.join(migrationsDir(), name, "migration.sql");
    if (existsSync(file)) hash.update(name).update(readFileSync(file));
  }
  return path.join(tmpdir(), `latchkey-pglite-template-${hash.digest("hex").slice(0, 16)}.tar`);
}

/** Makes the template when it does not exist yet (jest's global setup, or the first suite). */
export async function ensurePgliteTemplate(): Promise<string> {
  const file = templatePath();
  if (existsSync(file)) return file;
  const pglite = await createPGlite("memory://");
  try {
    await applyMigrations(new PrismaPGlite(pglite), pino({ level: "silent" }));
    const dump = Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer());
    // Written aside and renamed: two workers making it at once never leave half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, dump);
    renameSync(partial, file);
  } finally {
    await pglite.close();
  }
  return file;
}

/** The migrated template as a dump to start a new embedded database from. */
export async function pgliteTemplate(): Promise<Blob> {
  return new Blob([readFileSync(await ensurePgliteTemplate())]);
}

import { PGlite } from "@electric-sql/pglite";
import type { Extension } from "@electric-sql/pglite";

// PGlite ships contrib extensions as separate modules. The package's "exports" map points
// at them, but this project's classic module resolution cannot see subpath types: load it
// through require with the type the package declares.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require("@electric-sql/pglite/contrib/pg_trgm") as { pg_trgm: Extension };

/**
 * An embedded PostgreSQL with the extensions the migrations create (pg_trgm for user search).
 * `template`, a dump of another PGlite's data directory (`dumpDataDir`), starts it as a copy of
 * that one instead of running initdb (about 1.3 s instead of 4 s here).
 */
export function createPGlite(dataDir: string, template?: Blob): Promise<PGlite> {
  return PGlite.create(dataDir, { extensions: { pg_trgm }, ...(template ? { loadDataDir: template } : {}) });
}

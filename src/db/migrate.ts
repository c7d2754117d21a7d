import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { projectRoot } from "../common/project-root";
import { noFilters, openSchemaEngine } from "./schema-engine";

export const migrationsDir = () => path.join(projectRoot(), "prisma", "migrations");
export const schemaPath = () => path.join(projectRoot(), "prisma", "schema.prisma");

/** prisma/migrations in the shape the schema engine reads, as `prisma migrate deploy` builds it. */
export function readMigrationsList() {
  const baseDir = migrationsDir();
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const directories = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: readFileSync(path.join(baseDir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

interface Disposable {
  dispose(): Promise<void>;
}

/**
 * Wraps a driver adapter factory so every connection the schema engine opens can be closed
 * afterwards (the engine itself leaves its pool open).
 */
/** The part of a driver adapter factory the schema engine calls. */
export interface AdapterFactory {
  provider: string;
  adapterName: string;
  connect(): Promise<Disposable>;
  connectToShadowDb(): Promise<Disposable>;
}

export function trackingFactory(factory: AdapterFactory) {
  const opened: Disposable[] = [];
  const track = async (connection: Promise<Disposable>) => {
    const adapter = await connection;
    opened.push(adapter);
    return adapter;
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => track(factory.connect()),
      connectToShadowDb: () => track(factory.connectToShadowDb()),
    },
    disposeAll: () => Promise.all(opened.map((adapter) => adapter.dispose())).then(() => undefined),
  };
}

/** Applies pending migrations and records them in _prisma_migrations, like `prisma migrate deploy`. */
export async function applyMigrations(adapterFactory: unknown, logger: Logger): Promise<string[]> {
  const schema = { path: schemaPath(), content: readFileSync(schemaPath(), "utf8") };
  const tracked = trackingFactory(adapterFactory as AdapterFactory);
  const engine = await openSchemaEngine(schema, tracked.factory, (message) => logger.debug({ engine: message }, "schema engine"));
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: readMigrationsList(),
      filters: noFilters,
    });
    if (appliedMigrationNames.length > 0) logger.info({ applied: appliedMigrationNames }, "migrations applied");
    else logger.debug("database schema is up to date");
    return appliedMigrationNames;
  } finally {
    engine.free();
    await tracked.disposeAll();
  }
}

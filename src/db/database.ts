import path from "node:path";
import { mkdirSync } from "node:fs";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { createPGlite } from "./pglite";

export type DatabaseKind = "postgres" | "pglite";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** The driver adapter factory, also handed to the schema engine for migrations. */
  adapterFactory: PrismaPg | PrismaPGlite;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL; without it the embedded PGlite is used. */
  url?: string;
  /** PGlite data folder; "memory://" keeps it in memory (tests). */
  pgliteDataDir?: string;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const adapterFactory = new PrismaPg({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
    });
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return {
      kind: "postgres",
      prisma,
      adapterFactory,
      ping: async () => {
        await prisma.$queryRaw`SELECT 1`;
      },
      close: () => prisma.$disconnect(),
    };
  }

  const dataDir = options.pgliteDataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(path.dirname(dataDir), { recursive: true });
  const pglite = await createPGlite(dataDir);
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    kind: "pglite",
    prisma,
    adapterFactory,
    ping: async () => {
      await pglite.query("SELECT 1");
    },
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/** The database the configuration names: DATABASE_URL, else the embedded one in DATA_DIR/pglite. */
export function openConfiguredDatabase(
  config: { databaseUrl?: string; dataDir: string },
  options: { pgliteDataDir?: string; poolSize?: number } = {},
): Promise<Database> {
  return openDatabase({
    url: config.databaseUrl,
    pgliteDataDir: config.databaseUrl ? undefined : (options.pgliteDataDir ?? path.join(config.dataDir, "pglite")),
    poolSize: options.poolSize,
  });
}

import path from "node:path";
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { Pool } from "pg";
import { Prisma, PrismaClient } from "../generated/prisma/client";
import { createPGlite } from "./pglite";
import { lockEmbeddedDatabase } from "./embedded-lock";
import { pgliteRunner, pgRunner, tracedRunner, type SqlRunner } from "./direct-sql";
import { tracedAdapterFactory } from "./traced-statements";

export type DatabaseKind = "postgres" | "pglite";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** The hot-path statements, on the same connections as `prisma` but without its client (see direct-sql.ts). */
  sql: SqlRunner;
  /**
   * The driver adapter factory handed to the schema engine for migrations: like the one behind
   * `prisma` but without the statement timeout, so a long index build is not cut short.
   */
  adapterFactory: PrismaPg | PrismaPGlite;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL; without it the embedded PGlite is used. */
  url?: string;
  /** PGlite data folder; "memory://" keeps it in memory (tests). */
  pgliteDataDir?: string;
  /** A PGlite data-directory dump to start a new embedded database from (tests: one migrated template). */
  pgliteTemplate?: Blob;
  poolSize?: number;
  /** How long to wait for a new PostgreSQL connection before failing. */
  connectTimeoutMs?: number;
  /** Longest a single statement may run (0: no limit); the client gives up a second later. */
  statementTimeoutMs?: number;
  /** Named prepared statements per connection (default on); off for a transaction-mode PgBouncer. */
  preparedStatements?: boolean;
  /** Errors of idle pooled connections (e.g. the server went away); without a listener they would crash the process. */
  onConnectionError?: (error: Error) => void;
  /**
   * The embedded database's folder lock was lost while open (embedded-lock.ts): stop using it.
   * By default the process says so on stderr and exits with code 1.
   */
  onLockLost?: (error: Error) => void;
}

const exitOnLockLost = (error: Error) => {
  process.stderr.write(`The lock on the embedded database was lost (${error.message}); stopping so that two processes never write it.\n`);
  process.exit(1);
};

export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;

// Statements PostgreSQL can keep prepared per connection (not BEGIN, SAVEPOINT, SET, ...).
const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;
// The queries are parameterized, so their texts are few; past this many, new ones go unnamed.
const MAX_PREPARED = 2_000;
const preparedNames = new Map<string, string>();

/**
 * A name per distinct statement text, so each pooled connection parses a statement once and
 * later runs only bind and execute: parsing and analysing was most of PostgreSQL's CPU for
 * the small statements that sign-in, refresh and the session check send.
 */
function preparedStatementName(text: string): string {
  let name = preparedNames.get(text);
  if (name === undefined && PREPARABLE.test(text) && preparedNames.size < MAX_PREPARED) {
    name = `lk_${createHash("sha256").update(text).digest("base64url").slice(0, 22)}`;
    preparedNames.set(text, name);
  }
  return name as string; // undefined: pg sends it unnamed
}

/**
 * Marks a statement to stay unnamed, so PostgreSQL plans it for its actual parameters every
 * time: for a search, the pattern decides between the trigram index and a scan, and a cached
 * generic plan cannot see it.
 */
export const planEachTime = (sql: Prisma.Sql): Prisma.Sql => Prisma.sql`${Prisma.raw("/* planned each time */ ")}${sql}`;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const onError = (error: Error) => options.onConnectionError?.(error);
    // Fail fast while PostgreSQL is away: a bounded wait for a connection, a bounded statement
    // (server side), and a client-side read timeout for a server that stopped answering at all.
    // pg's pool drops connections that failed, so service resumes once PostgreSQL is back.
    const pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
      ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 1_000 } : {}),
    });
    // Prisma's adapter listens for idle-connection errors only while its client is connected;
    // the direct runner uses this pool before that and the pool lives on after $disconnect, so
    // without a listener of our own a connection the server ends (restart, DROP DATABASE) would
    // throw from the socket and take the process down.
    pool.on("error", onError);
    const named = options.preparedStatements !== false;
    const runtime = new PrismaPg(pool, {
      onPoolError: onError,
      onConnectionError: onError,
      ...(named ? { statementNameGenerator: (query: { sql: string }) => preparedStatementName(query.sql) } : {}),
    });
    const adapterFactory = new PrismaPg({ connectionString: options.url, max: 2, connectionTimeoutMillis: connectTimeoutMs });
    const prisma = new PrismaClient({ adapter: tracedAdapterFactory(runtime, "postgres") });
    return {
      kind: "postgres",
      prisma,
      sql: tracedRunner(pgRunner(pool, named ? preparedStatementName : () => undefined), "postgres"),
      adapterFactory,
      ping: async () => {
        await prisma.$queryRaw`SELECT 1`;
      },
      close: async () => {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }

  const dataDir = options.pgliteDataDir ?? "memory://";
  const onDisk = !dataDir.startsWith("memory://");
  if (onDisk) mkdirSync(path.dirname(dataDir), { recursive: true });
  // On disk, the folder is this process's alone until close (EmbeddedDatabaseInUseError otherwise).
  const folderLock = onDisk ? await lockEmbeddedDatabase(dataDir, options.onLockLost ?? exitOnLockLost) : undefined;
  const pglite = await createPGlite(dataDir, options.pgliteTemplate).catch(async (error: unknown) => {
    await folderLock?.release();
    throw error;
  });
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: tracedAdapterFactory(adapterFactory, "pglite") });
  return {
    kind: "pglite",
    prisma,
    sql: tracedRunner(pgliteRunner(pglite), "pglite"),
    adapterFactory,
    ping: async () => {
      await pglite.query("SELECT 1");
    },
    close: async () => {
      try {
        await prisma.$disconnect();
        await pglite.close();
      } finally {
        await folderLock?.release();
      }
    },
  };
}

/** The database the configuration names: DATABASE_URL, else the embedded one in DATA_DIR/pglite. */
export function openConfiguredDatabase(
  config: {
    databaseUrl?: string;
    dataDir: string;
    databaseConnectTimeoutMs?: number;
    databaseStatementTimeoutMs?: number;
    databasePreparedStatements?: boolean;
    /** DATABASE_POOL_SIZE; `options.poolSize` overrides it (operator commands keep a small pool). */
    databasePoolSize?: number;
  },
  options: Pick<DatabaseOptions, "pgliteDataDir" | "pgliteTemplate" | "poolSize" | "onConnectionError" | "onLockLost"> = {},
): Promise<Database> {
  return openDatabase({
    url: config.databaseUrl,
    pgliteDataDir: config.databaseUrl ? undefined : (options.pgliteDataDir ?? path.join(config.dataDir, "pglite")),
    pgliteTemplate: config.databaseUrl ? undefined : options.pgliteTemplate,
    poolSize: options.poolSize ?? config.databasePoolSize,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    preparedStatements: config.databasePreparedStatements,
    onConnectionError: options.onConnectionError,
    onLockLost: options.onLockLost,
  });
}

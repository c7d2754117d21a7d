import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";
import { inSpan, SPAN_KIND_CLIENT, tracingEnabled } from "../tracing/spans";

export type TracedDatabase = "postgres" | "pglite";

// The statement's first keyword, past leading comments (`/* planned each time */ SELECT`).
const OPERATION = /^\s*(?:\/\*.*?\*\/\s*)*([A-Za-z]+)/s;

/**
 * One client span per statement sent while a request is traced: its parameterized text
 * (placeholders, never the bound values) and the database. PGlite is PostgreSQL too;
 * `latchkey.database` tells the two apart. Statements outside a request (start-up, the
 * background jobs' polling) get none.
 */
export function statementSpan<T>(database: TracedDatabase, text: string, run: () => Promise<T>): Promise<T> {
  const operation = OPERATION.exec(text)?.[1]?.toUpperCase() ?? "SQL";
  const attributes = {
    "db.system.name": "postgresql",
    "db.operation.name": operation,
    "db.query.text": text,
    "latchkey.database": database,
  };
  return inSpan(operation, attributes, run, { kind: SPAN_KIND_CLIENT, withinTrace: true });
}

type Statements = Pick<SqlDriverAdapter, "queryRaw" | "executeRaw">;

/** `target` with its statements traced; everything else is the target's own, bound to it. */
function withTracedStatements<T extends Statements>(target: T, database: TracedDatabase, extra: Partial<T> = {}): T {
  const own: Partial<T> = {
    queryRaw: (query: SqlQuery) => statementSpan(database, query.sql, () => target.queryRaw(query)),
    executeRaw: (query: SqlQuery) => statementSpan(database, query.sql, () => target.executeRaw(query)),
    ...extra,
  } as Partial<T>;
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(own, property)) return own[property as keyof T];
      const value = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

/**
 * Prisma's driver adapter with a span around every statement it sends, in or out of a
 * transaction: the one place that sees Prisma's SQL on both PostgreSQL and PGlite. Without
 * tracing the factory is returned as it is, so statements pay nothing.
 */
export function tracedAdapterFactory<F extends SqlDriverAdapterFactory>(factory: F, database: TracedDatabase): F {
  if (!tracingEnabled()) return factory;
  const traceTransaction = (transaction: Transaction) => withTracedStatements(transaction, database);
  const traceAdapter = (adapter: SqlDriverAdapter) =>
    withTracedStatements(adapter, database, {
      startTransaction: async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) => traceTransaction(await adapter.startTransaction(...args)),
    });
  return new Proxy(factory, {
    get(object, property) {
      if (property === "connect") return async () => traceAdapter(await object.connect());
      const value = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

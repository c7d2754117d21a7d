import type { Pool, CustomTypesConfig } from "pg";
import { types as pgTypes } from "pg";
import type { PGlite } from "@electric-sql/pglite";
import { Prisma } from "../generated/prisma/client";
import { tracingEnabled } from "../tracing/spans";
import { statementSpan, type TracedDatabase } from "./traced-statements";

/**
 * Runs one parameterized statement, written as a tagged template like `$queryRaw`, and returns
 * its rows: `await sql<Row>\`SELECT ... WHERE id = ${id}\``.
 */
export type SqlRunner = <T>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => Promise<T[]>;

type Queryable = { $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T> };

/** A runner over Prisma (the client or an interactive transaction's handle). */
export const viaPrisma =
  (db: Queryable): SqlRunner =>
  <T>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) =>
    Promise.resolve(db.$queryRaw<T[]>(strings, ...values));

const TIMESTAMP = 1114;

// The columns are `timestamp` without a zone holding UTC (as Prisma writes them); read them as
// UTC whatever the process's time zone, as Prisma does.
const parseTimestamp = (text: string): Date => new Date(`${text.replace(" ", "T")}Z`);

const PG_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === TIMESTAMP) return parseTimestamp;
    return pgTypes.getTypeParser(oid, format as "text");
  }) as CustomTypesConfig["getTypeParser"],
};

const toSql = (strings: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql =>
  strings instanceof Prisma.Sql ? strings : Prisma.sql(strings, ...values);

// Statements bind times with utc() (sql-time.ts), the one way that reads the same through Prisma
// and here. A bare Date that slips through still goes in as its UTC instant in ISO form:
// compared with a `timestamp` column PostgreSQL ignores the zone and reads the UTC wall time,
// with `timestamptz` it honours the "Z". pg's own conversion would write local time, wrong
// whenever the process is not on UTC.
const parameters = (statement: Prisma.Sql): unknown[] =>
  statement.values.map((value) => (value instanceof Date ? value.toISOString() : value));

/**
 * Statements straight on pg's pool, bypassing Prisma's client: for the few statements every
 * sign-in, refresh and session check sends, Prisma's query interpreter and result mapping cost
 * about four times the CPU of the driver itself. `name` gives each distinct text a prepared
 * statement per connection, as the Prisma adapter does.
 */
export function pgRunner(pool: Pool, name: (text: string) => string | undefined): SqlRunner {
  return async <T>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
    const statement = toSql(strings, values);
    const result = await pool.query({ name: name(statement.text), text: statement.text, values: parameters(statement), types: PG_TYPES });
    return result.rows as T[];
  };
}

/**
 * The same on PGlite. PGlite is one connection: a statement waits while an interactive
 * transaction holds it, so never call this from inside one (pass `viaPrisma(tx)` there).
 */
export function pgliteRunner(pglite: PGlite): SqlRunner {
  const options = { parsers: { [TIMESTAMP]: parseTimestamp } };
  return async <T>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
    const statement = toSql(strings, values);
    const result = await pglite.query<T>(statement.text, parameters(statement), options);
    return result.rows;
  };
}

/**
 * `run` with a span around each statement when tracing is on (decided once, here: without
 * tracing the runner is returned as it is and the hot path pays nothing).
 */
export function tracedRunner(run: SqlRunner, database: TracedDatabase): SqlRunner {
  if (!tracingEnabled()) return run;
  return <T>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
    const statement = toSql(strings, values);
    return statementSpan(database, statement.text, () => run<T>(statement));
  };
}

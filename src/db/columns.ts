import { Prisma } from "../generated/prisma/client";

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * A store's column list as SQL, read from the table aliased `alias`, each column under its
 * model name (`u."emailVerified"`), so a raw row has the shape Prisma gives the model. `casts`
 * turns a column into text (an enum, which the raw readers would otherwise not map).
 */
export function selectColumns<C extends string>(alias: string, columns: readonly C[], casts: Partial<Record<C, string>> = {}): Prisma.Sql {
  if (!IDENTIFIER.test(alias)) throw new Error(`not a table alias: ${alias}`);
  return Prisma.raw(
    columns.map((column) => (casts[column] ? `${alias}."${column}"::${casts[column]} AS "${column}"` : `${alias}."${column}"`)).join(", "),
  );
}

/**
 * The model's fields out of a raw row that may carry more (other tables' columns, counts):
 * typed by the column list, so a list covering every field of the model gives the model itself.
 */
export function pickColumns<T, C extends keyof T>(row: T, columns: readonly C[]): Pick<T, C> {
  const picked = {} as Pick<T, C>;
  for (const column of columns) picked[column] = row[column];
  return picked;
}

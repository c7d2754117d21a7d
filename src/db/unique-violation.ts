import { Prisma } from "../generated/prisma/client";

const UNIQUE_VIOLATION = "23505";

interface ErrorShape {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

const shape = (error: unknown): ErrorShape | undefined => (typeof error === "object" && error !== null ? (error as ErrorShape) : undefined);

/**
 * The unique index a statement ran into, as text naming its columns or constraint (match on a
 * column name: "email", "usernameNormalized"), or undefined when `error` is no duplicate key.
 * The one place that knows every way a duplicate key arrives: Prisma's P2002 (model calls), a
 * raw statement through the driver adapter (its error carries PostgreSQL's 23505), and the
 * direct driver's own error (db.sql).
 */
export function uniqueViolation(error: unknown): string | undefined {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") return JSON.stringify(error.meta ?? {});
    const inner = shape(shape(error.meta?.driverAdapterError)?.cause);
    if (inner && (inner.kind === "UniqueConstraintViolation" || inner.originalCode === UNIQUE_VIOLATION)) return JSON.stringify(inner);
    return undefined;
  }
  const direct = shape(error);
  if (direct?.code === UNIQUE_VIOLATION) return String(direct.constraint ?? "");
  return undefined;
}

/**
 * Runs `work`; a duplicate key it runs into becomes the error `conflict` makes of the index's
 * description (e.g. CONFLICT on the field that is taken). Races the check before a write
 * cannot close are decided by the unique index, and the loser gets this answer.
 */
export async function onDuplicateKey<T>(work: () => Promise<T>, conflict: (target: string) => Error): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const target = uniqueViolation(error);
    if (target !== undefined) throw conflict(target);
    throw error;
  }
}

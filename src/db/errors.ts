// Socket errors, PostgreSQL's "shutting down / cannot connect / cancelled by timeout" SQLSTATEs
// (57P01-57P03, class 08, 53300 too many connections, 57014 statement timeout), and Prisma's
// codes for an unreachable server, a timed-out connection or pool wait (P1001, P1002, P1008,
// P1017, P2024) and an interactive transaction that could not start or ran out of time (P2028).
const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND",
  "57P01", "57P02", "57P03", "57014", "08000", "08001", "08003", "08004", "08006", "53300",
  "P1001", "P1002", "P1008", "P1017", "P2024", "P2028",
]);

// The driver adapter's own classification of a pg error (Prisma puts it under meta).
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TransactionAlreadyClosed"]);

const MESSAGES =
  /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Query read timeout|terminating connection|Can't reach database server|not queryable|Connection ended|server closed the connection/i;

/**
 * True for errors that mean "the database is not answering", not "the query was wrong". Looks
 * through every wrapping seen in practice: Error.cause, GraphQLError.originalError (context
 * creation), and Prisma's meta.driverAdapterError.cause.
 */
/** The fields of the error objects seen in practice that tell a connection failure. */
interface ErrorFields {
  code?: string;
  errorCode?: string;
  kind?: string;
  originalCode?: string;
  name?: string;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
  meta?: { driverAdapterError?: unknown };
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 12; seen++) {
    const next = queue.shift();
    if (!next || typeof next !== "object") continue;
    const current = next as ErrorFields;
    if (CONNECTION_CODES.has(current.code ?? "") || CONNECTION_CODES.has(current.errorCode ?? "")) return true;
    if (ADAPTER_KINDS.has(current.kind ?? "") || CONNECTION_CODES.has(current.originalCode ?? "")) return true;
    if (current.kind === "postgres" && CONNECTION_CODES.has(current.code ?? "")) return true;
    if (current.name === "PrismaClientInitializationError") return true;
    if (typeof current.message === "string" && MESSAGES.test(current.message)) return true;
    queue.push(current.cause, current.originalError, current.meta?.driverAdapterError);
  }
  return false;
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P03", "P1001", "P1002", "P1017"]);

/** True for errors that mean "the database is not answering", not "the query was wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: any = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (CONNECTION_CODES.has(current.code) || CONNECTION_CODES.has(current.errorCode)) return true;
    if (current.name === "PrismaClientInitializationError") return true;
    if (typeof current.message === "string" && /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(current.message)) {
      return true;
    }
    current = current.cause;
  }
  return false;
}

/**
 * Apollo's formatError sees an error but not the request it belongs to. The request log plugin
 * (and the context builder, for errors Apollo formats before any plugin runs) note the request
 * id of each error here, so the formatter's log lines carry the id the X-Request-Id header
 * showed. Only errors pass through: nothing is added to a request that succeeds.
 */
const requestIds = new WeakMap<object, string>();

export function rememberRequestId(error: unknown, requestId: string | undefined): void {
  if (requestId && error !== null && typeof error === "object") requestIds.set(error, requestId);
}

/** The request id noted for `error`, or for the error Apollo wrapped in it. */
export function requestIdOf(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 3 && current !== null && typeof current === "object"; depth++) {
    const id = requestIds.get(current);
    if (id) return id;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

import { isUnauthenticated, SIGN_IN_OPERATIONS } from "./graphql-errors.ts";
import type { LatchkeyClient } from "./latchkey-client.ts";
import { authInit, type FetchFunction } from "./transport.ts";

/** The operation name of a JSON GraphQL body, when there is one (batches and uploads have none here). */
function operationName(body: RequestInit["body"]): string | undefined {
  if (typeof body !== "string") return undefined;
  try {
    const parsed = JSON.parse(body) as { operationName?: unknown; query?: unknown };
    if (typeof parsed.operationName === "string") return parsed.operationName;
    return typeof parsed.query === "string" ? /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(parsed.query)?.[1] : undefined;
  } catch {
    return undefined;
  }
}

function withAuth(client: LatchkeyClient, init: RequestInit | undefined): RequestInit {
  const auth = authInit(client.store.mode, client.store.snapshot().accessToken);
  const headers = new Headers(init?.headers);
  for (const [name, value] of Object.entries(auth.headers)) headers.set(name, value);
  return { ...init, headers, ...(auth.credentials ? { credentials: auth.credentials } : {}) };
}

/**
 * A fetch for GraphQL requests that carries the session (bearer token or cookies), and when the
 * server answers UNAUTHENTICATED refreshes once (shared by every request failing meanwhile) and
 * sends the request again. When the refresh fails the first answer is returned and the store
 * has signed out. Request bodies must be replayable (strings or FormData, not streams).
 */
export function createLatchkeyFetch(client: LatchkeyClient, baseFetch?: FetchFunction): FetchFunction {
  const send: FetchFunction = baseFetch ?? client.transport.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return async (input, init) => {
    const sentAt = client.refresher.generation();
    const response = await send(input, withAuth(client, init));
    if (SIGN_IN_OPERATIONS.has(operationName(init?.body) ?? "")) return response;
    const contentType = response.headers.get("content-type") ?? "";
    if (!contentType.includes("json")) return response;
    const body: unknown = await response.clone().json().catch(() => undefined);
    if (!isUnauthenticated(body)) return response;
    if (!(await client.refresher.refresh(sentAt))) return response;
    return send(input, withAuth(client, init));
  };
}

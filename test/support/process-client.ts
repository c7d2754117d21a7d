// Small HTTP helpers for servers started as separate processes (test/support/server-process.ts).

export interface GraphQLBody {
  data?: any;
  errors?: Array<{ message: string; extensions: { code: string; [key: string]: unknown } }>;
}

/** POSTs one GraphQL operation; resolves with the HTTP status, the body and how long it took. */
export async function postGraphQL(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ status: number; body: GraphQLBody; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody;
  return { status: response.status, body, ms: Date.now() - started };
}

/** The first error code of a response, or "OK". */
export const codeOf = (body: GraphQLBody): string => body.errors?.[0]?.extensions.code ?? "OK";

/** The value of a Prometheus counter line from GET /metrics, 0 when absent. */
export async function metricValue(baseUrl: string, line: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const found = text.split("\n").find((l) => l.startsWith(line));
  return found ? Number(found.split(" ").pop()) : 0;
}

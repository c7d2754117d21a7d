import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import type { AuthMode } from "./auth-store.ts";

export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export interface GraphQLResult<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export interface TransportOptions {
  /** The GraphQL endpoint, e.g. "/graphql" or "https://id.example.com/graphql". */
  url: string;
  mode: AuthMode;
  fetch?: FetchFunction;
}

/**
 * Headers and credentials every request needs in this mode. Cookie mode sends the cookies with
 * `credentials: "include"` and the preflight header that the server's CSRF check asks of any
 * request that is not JSON (multipart uploads).
 */
export function authInit(mode: AuthMode, accessToken: string | undefined): { headers: Record<string, string>; credentials?: RequestCredentials } {
  if (mode === "cookie") return { headers: { "apollo-require-preflight": "true" }, credentials: "include" };
  return { headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {} };
}

/** Sends one typed operation as JSON, without refreshing: the auth flows themselves. */
export async function sendOperation<T, V>(
  options: TransportOptions,
  document: TypedDocumentNode<T, V>,
  variables: V,
  accessToken?: string,
): Promise<GraphQLResult<T>> {
  const send = options.fetch ?? globalThis.fetch;
  const auth = authInit(options.mode, accessToken);
  const response = await send(options.url, {
    method: "POST",
    credentials: auth.credentials,
    headers: { ...auth.headers, "content-type": "application/json" },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as GraphQLResult<T>;
}

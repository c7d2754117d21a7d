import { ApolloLink } from "@apollo/client";
import { from, mergeMap, of } from "rxjs";
import { asksForRefresh, SIGN_IN_OPERATIONS } from "./graphql-errors.ts";
import type { LatchkeyClient } from "./latchkey-client.ts";
import { authInit } from "./transport.ts";

/**
 * An Apollo Link, placed before the terminating HTTP link, that carries the session (bearer
 * token or cookies) and, when an operation answers UNAUTHENTICATED (or `viewer` answers null with
 * `extensions.session: "EXPIRED"`), refreshes once (shared by
 * every operation failing meanwhile) and sends the operation again. When the refresh fails the
 * first answer goes through and the store has signed out.
 */
export function createLatchkeyLink(client: LatchkeyClient): ApolloLink {
  return new ApolloLink((operation, forward) => {
    const attach = () => {
      const auth = authInit(client.store.mode, client.store.snapshot().accessToken);
      operation.setContext(({ headers, fetchOptions }: { headers?: Record<string, string>; fetchOptions?: RequestInit }) => ({
        headers: { ...headers, ...auth.headers },
        fetchOptions: auth.credentials ? { ...fetchOptions, credentials: auth.credentials } : fetchOptions,
      }));
      return forward(operation);
    };
    if (SIGN_IN_OPERATIONS.has(operation.operationName ?? "")) return attach();
    const sentAt = client.refresher.generation();
    return attach().pipe(
      mergeMap((result) => {
        if (!asksForRefresh(result)) return of(result);
        return from(client.refresher.refresh(sentAt)).pipe(mergeMap((renewed) => (renewed ? attach() : of(result))));
      }),
    );
  });
}

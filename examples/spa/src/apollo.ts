import { ApolloClient, ApolloLink, CombinedGraphQLErrors, InMemoryCache } from "@apollo/client";
import { ErrorLink } from "@apollo/client/link/error";
import UploadHttpLink from "apollo-upload-client/UploadHttpLink.mjs";
import { print } from "graphql";
import { from, mergeMap, throwError } from "rxjs";
import { RefreshSessionMutation } from "./operations";

// Tokens live in httpOnly cookies the app cannot read: the browser sends them with every
// same-origin request. The preflight header satisfies the server's CSRF check for uploads
// (multipart requests); JSON requests pass it anyway.
const httpLink = new UploadHttpLink({
  uri: "/graphql",
  credentials: "same-origin",
  headers: { "apollo-require-preflight": "true" },
});

let refreshing: Promise<boolean> | undefined;

/** One refreshSession at a time; the server reads and replaces the lk_refresh cookie. */
function refreshSession(): Promise<boolean> {
  refreshing ??= fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: print(RefreshSessionMutation) }),
  })
    .then((response) => response.json())
    .then((body) => !body.errors && Boolean(body.data?.refreshSession))
    .catch(() => false)
    .finally(() => (refreshing = undefined));
  return refreshing;
}

const SIGN_IN_OPERATIONS = new Set(["Login", "Register", "VerifyTwoFactorLogin", "RefreshSession", "Logout"]);

/** An expired access cookie is renewed once with the refresh cookie, then the operation is retried. */
const refreshLink = new ErrorLink(({ error, operation, forward }) => {
  if (SIGN_IN_OPERATIONS.has(operation.operationName ?? "") || operation.getContext().retried) return;
  const unauthenticated =
    CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
  if (!unauthenticated) return;
  operation.setContext({ retried: true });
  return from(refreshSession()).pipe(mergeMap((renewed) => (renewed ? forward(operation) : throwError(() => error))));
});

export const client = new ApolloClient({
  link: ApolloLink.from([refreshLink, httpLink]),
  cache: new InMemoryCache(),
});

/**
 * After signing in or out: drop everything cached and refetch what is on screen. Outcomes reach
 * the components through their own queries; queries cut short by the change (a list that is
 * no longer shown) are not errors.
 */
export function reloadAfterSignInOrOut(): Promise<void> {
  return client.resetStore().then(
    () => undefined,
    () => undefined,
  );
}

interface GraphQLErrorLike {
  extensions?: { code?: unknown } | null;
}

/** Whether a GraphQL response body (one result or a batch) says the caller is not signed in. */
export function isUnauthenticated(body: unknown): boolean {
  const results = Array.isArray(body) ? body : [body];
  return results.some((result) => asksForRefresh(result as { errors?: unknown; extensions?: unknown } | null));
}

/**
 * Whether one result asks for a refresh: an UNAUTHENTICATED error, or `viewer` answering null
 * with `extensions.session: "EXPIRED"` (the request carried a token or the refresh cookie).
 */
export function asksForRefresh(result: { errors?: unknown; extensions?: unknown } | null | undefined): boolean {
  if (!result) return false;
  return hasUnauthenticated(result.errors) || (result.extensions as { session?: unknown } | undefined)?.session === "EXPIRED";
}

export function hasUnauthenticated(errors: unknown): boolean {
  return Array.isArray(errors) && errors.some((error: GraphQLErrorLike) => error?.extensions?.code === "UNAUTHENTICATED");
}

/**
 * Operations whose UNAUTHENTICATED means wrong credentials or a spent token, not an expired
 * access token: refreshing and retrying them would only repeat the failure.
 */
export const SIGN_IN_OPERATIONS: ReadonlySet<string> = new Set([
  "Login",
  "VerifyTwoFactorLogin",
  "RefreshSession",
  "RefreshSessionWithToken",
  "Logout",
]);

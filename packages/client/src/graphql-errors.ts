interface GraphQLErrorLike {
  extensions?: { code?: unknown } | null;
}

/** Whether a GraphQL response body (one result or a batch) says the caller is not signed in. */
export function isUnauthenticated(body: unknown): boolean {
  const results = Array.isArray(body) ? body : [body];
  return results.some((result) => hasUnauthenticated((result as { errors?: unknown } | null)?.errors));
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

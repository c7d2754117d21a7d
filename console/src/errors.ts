import { CombinedGraphQLErrors } from "@apollo/client";

type ErrorLike = { message: string; extensions?: Record<string, unknown> };

/** A readable line for an error from the server: its message, its code and any policy reasons. */
export function describeError(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return describeErrorList(error.errors);
  return error instanceof Error ? error.message : String(error);
}

/** The same line for a GraphQL response's `errors`, as @latchkey/client's outcomes carry them. */
export function describeErrorList(errors: ReadonlyArray<ErrorLike>): string {
  return errors
    .map((e) => {
      const code = e.extensions?.code ? ` (${String(e.extensions.code)})` : "";
      const reasons = Array.isArray(e.extensions?.reasons) ? `: ${e.extensions.reasons.join("; ")}` : "";
      return `${e.message}${code}${reasons}`;
    })
    .join(" ");
}

/** Whether a mutation was refused only because the session's last proof of identity is too old. */
export function needsReauthentication(error: unknown): boolean {
  return (
    CombinedGraphQLErrors.is(error) &&
    error.errors.some((e) => e.extensions?.code === "FORBIDDEN" && e.extensions?.reason === "REAUTHENTICATION_REQUIRED")
  );
}

import { UseMiddleware, type MiddlewareFn } from "type-graphql";
import { Errors } from "../common/app-error";
import type { GraphQLContext } from "./context";
import type { Viewer } from "./viewer";

/**
 * Marks a mutation as sensitive: it runs only when the caller's session proved who they are
 * within REAUTH_MAX_AGE (sign-in or reauthenticate), else FORBIDDEN with
 * extensions.reason REAUTHENTICATION_REQUIRED before anything happens. Runs after @Authorized.
 * Mutations that need a role get the same check from the auth checker, without this mark.
 * The check also refuses an impersonated session (see refuseImpersonation).
 */
const requireRecentAuthentication: MiddlewareFn<GraphQLContext> = ({ context }, next) => {
  context.services.recentAuth.require(context.viewer);
  return next();
};

export function RecentAuthentication(): MethodDecorator & PropertyDecorator {
  return UseMiddleware(requireRecentAuthentication);
}

/**
 * The impersonation rule: a session an ADMIN started as the user (impersonateUser) may not change
 * how the account is reached or end it, so FORBIDDEN with extensions.reason IMPERSONATION. The
 * recent-authentication check applies it to every sensitive and role-gated mutation; the
 * mutations that carry their own proof instead are marked @NotWhileImpersonating().
 */
export function refuseImpersonation(viewer: Pick<Viewer, "impersonatorId"> | undefined): void {
  if (viewer?.impersonatorId) throw Errors.impersonationForbidden();
}

const notWhileImpersonating: MiddlewareFn<GraphQLContext> = ({ context }, next) => {
  refuseImpersonation(context.viewer);
  return next();
};

/** Refuses the mutation in an impersonated session (see refuseImpersonation), before anything happens. */
export function NotWhileImpersonating(): MethodDecorator & PropertyDecorator {
  return UseMiddleware(notWhileImpersonating);
}

import { UseMiddleware, type MiddlewareFn } from "type-graphql";
import type { GraphQLContext } from "./context";

/**
 * Marks a mutation as sensitive: it runs only when the caller's session proved who they are
 * within REAUTH_MAX_AGE (sign-in or reauthenticate), else FORBIDDEN with
 * extensions.reason REAUTHENTICATION_REQUIRED before anything happens. Runs after @Authorized.
 * Mutations that need a role get the same check from the auth checker, without this mark.
 */
const requireRecentAuthentication: MiddlewareFn<GraphQLContext> = ({ context }, next) => {
  context.services.recentAuth.require(context.viewer);
  return next();
};

export function RecentAuthentication(): MethodDecorator & PropertyDecorator {
  return UseMiddleware(requireRecentAuthentication);
}

import type { AuthChecker } from "type-graphql";
import { Errors } from "../common/app-error";
import type { GraphQLContext } from "./context";

/** `@Authorized()` needs a viewer; `@Authorized("ADMIN", ...)` also one of those roles. */
export const authChecker: AuthChecker<GraphQLContext> = ({ context }, roles) => {
  if (!context.viewer) throw Errors.unauthenticated();
  if (roles.length > 0 && !roles.includes(context.viewer.user.role)) throw Errors.forbidden();
  return true;
};

import type { AuthChecker } from "type-graphql";
import { Errors } from "../common/app-error";
import type { GraphQLContext } from "./context";

/**
 * `@Authorized()` needs a viewer; `@Authorized("ADMIN", ...)` also one of those roles. A
 * mutation that needs a role (every admin mutation, present and future) also needs a recent
 * authentication (see graphql/recent-auth.ts).
 */
export const authChecker: AuthChecker<GraphQLContext> = ({ context, info }, roles) => {
  if (!context.viewer) throw Errors.unauthenticated();
  if (roles.length > 0 && !roles.includes(context.viewer.user.role)) throw Errors.forbidden();
  if (roles.length > 0 && info.parentType === info.schema.getMutationType()) context.services.recentAuth.require(context.viewer);
  return true;
};

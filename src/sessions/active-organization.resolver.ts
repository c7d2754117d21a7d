import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { Organization } from "../organizations";
import { Session } from "./session.types";

@Resolver(() => Session)
export class ActiveOrganizationResolver {
  @FieldResolver(() => Organization, {
    nullable: true,
    description:
      "The organization this session acts for (setActiveOrganization) while its user is a member, read with the session check on every request: it turns null on the request after the user leaves or is removed. Shown for the current session only; null for the others.",
  })
  activeOrganization(@Root() session: Session, @Ctx() ctx: GraphQLContext): Promise<Organization | null> {
    const viewer = ctx.viewer;
    if (!viewer || session.id !== viewer.sessionId || !viewer.organizationId) return Promise.resolve(null);
    // Membership was read with the session check: the viewer belongs to it.
    return ctx.services.organizations.findLive(viewer.organizationId);
  }
}

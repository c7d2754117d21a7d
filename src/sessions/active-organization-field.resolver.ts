import { Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { Session } from "./session.types";

@Resolver(() => Session)
export class ActiveOrganizationFieldResolver {
  @FieldResolver(() => ID, {
    nullable: true,
    description:
      "The organization this session acts for (setActiveOrganization): the org_id claim of its next access tokens while the user is a member of it. Null when it acts for none.",
  })
  activeOrganizationId(@Root() session: Session, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    return ctx.services.activeOrganization.of(session.id);
  }
}

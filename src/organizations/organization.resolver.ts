import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { NotWhileImpersonating } from "../graphql/recent-auth";
import { decodeCursor, pageSize, toConnection, type Connection } from "../graphql/pagination";
import { User } from "../accounts";
import type { OrganizationActor } from "./organization-rules";
import {
  CreateOrganizationInput, InviteMemberArgs, Invitation, MemberArgs, MembersArgs, Membership, MembershipConnection, Organization, OrganizationRole, SetMemberRoleArgs,
} from "./organization.types";

const actor = (ctx: GraphQLContext): OrganizationActor => ({ user: ctx.viewer!.user, origin: ctx.origin });

/** Organizations, their members and invitations. Rules live in OrganizationService. */
@Resolver()
export class OrganizationResolver {
  @Authorized()
  @Query(() => Organization, {
    nullable: true,
    description: "An organization the caller belongs to (any organization for a global ADMIN); null for an unknown one and for one the caller is not a member of.",
  })
  organization(@Arg("id", () => ID, { description: "The organization's identifier." }) id: string, @Ctx() ctx: GraphQLContext): Promise<Organization | null> {
    return ctx.services.organizations.visible(ctx.viewer!.user, id);
  }

  @Authorized()
  @Mutation(() => Organization, {
    description:
      "Creates an organization with the caller as its OWNER; audited (ORGANIZATION_CREATED). BAD_USER_INPUT (field name or slug) for a refused name or slug; CONFLICT (field slug) when the slug is taken.",
  })
  createOrganization(@Arg("input", () => CreateOrganizationInput, { description: "The name and slug." }) input: CreateOrganizationInput, @Ctx() ctx: GraphQLContext): Promise<Organization> {
    return ctx.services.organizations.create(actor(ctx), input);
  }

  @Authorized()
  @Mutation(() => Invitation, {
    description:
      "Mails an invitation link (APP_URL/accept-invitation?token=<token>, valid ORGANIZATION_INVITATION_TTL, default 7 days) to the address; audited (MEMBER_INVITED). OWNER or ADMIN of the organization only (FORBIDDEN otherwise; NOT_FOUND when the caller is not a member); only an OWNER may invite an OWNER (FORBIDDEN). BAD_USER_INPUT (field email) for an invalid address; CONFLICT (field email) when that address's verified account is already a member; RATE_LIMITED beyond RATE_LIMIT_INVITATIONS (default 50 an hour per organization). An open invitation to the same address is replaced.",
  })
  inviteMember(@Args(() => InviteMemberArgs) args: InviteMemberArgs, @Ctx() ctx: GraphQLContext): Promise<Invitation> {
    return ctx.services.organizations.invitations.invite(actor(ctx), args.organizationId, args.email, args.role);
  }

  @Authorized()
  @NotWhileImpersonating()
  @Mutation(() => Membership, {
    description:
      "Joins the organization of an invitation link with the invitation's role; audited (INVITATION_ACCEPTED). The caller's verified e-mail address must be the invited one (FORBIDDEN with extensions.reason EMAIL_MISMATCH otherwise). BAD_USER_INPUT (field token, extensions.reason INVITATION_INVALID, INVITATION_EXPIRED, INVITATION_USED or INVITATION_REVOKED) for a token that cannot be used; CONFLICT when the caller already belongs to the organization. FORBIDDEN (extensions.reason IMPERSONATION) in a session an ADMIN started as the user: joining changes what the account can reach.",
  })
  acceptInvitation(@Arg("token", () => String, { description: "The token of the invitation link. Never echoed back." }) token: string, @Ctx() ctx: GraphQLContext): Promise<Membership> {
    return ctx.services.organizations.invitations.accept(actor(ctx), token);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      "Cancels an open invitation: its link stops working. OWNER or ADMIN of its organization only (FORBIDDEN otherwise); audited (INVITATION_REVOKED). Returns true; NOT_FOUND for an unknown invitation; CONFLICT when it was already accepted or revoked.",
  })
  revokeInvitation(@Arg("id", () => ID, { description: "The invitation to cancel." }) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.organizations.invitations.revoke(actor(ctx), id);
  }

  @Authorized()
  @Mutation(() => Invitation, {
    description:
      "Mails an open invitation again with a new link (the previous link stops working) and a new expiry. OWNER or ADMIN of its organization only (FORBIDDEN otherwise); counts against RATE_LIMIT_INVITATIONS; audited (MEMBER_INVITED with resent true). NOT_FOUND for an unknown invitation; CONFLICT when it was accepted or revoked.",
  })
  resendInvitation(@Arg("id", () => ID, { description: "The invitation to send again." }) id: string, @Ctx() ctx: GraphQLContext): Promise<Invitation> {
    return ctx.services.organizations.invitations.resend(actor(ctx), id);
  }

  @Authorized()
  @Mutation(() => Membership, {
    description:
      "Changes a member's role; audited (MEMBER_ROLE_CHANGED); existing sessions see it on their next request. OWNER or ADMIN of the organization; only an OWNER may make or unmake an OWNER (FORBIDDEN). NOT_FOUND when the user is not a member; CONFLICT (extensions.reason LAST_OWNER) when it would leave the organization without an OWNER.",
  })
  setMemberRole(@Args(() => SetMemberRoleArgs) args: SetMemberRoleArgs, @Ctx() ctx: GraphQLContext): Promise<Membership> {
    return ctx.services.organizations.setRole(actor(ctx), args.organizationId, args.userId, args.role);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      "Removes a member; audited (MEMBER_REMOVED); sessions acting for the organization lose it on their next request. OWNER or ADMIN of the organization; only an OWNER may remove an OWNER (FORBIDDEN). Returns true; NOT_FOUND when the user is not a member; CONFLICT (extensions.reason LAST_OWNER) for the last OWNER.",
  })
  removeMember(@Args(() => MemberArgs) args: MemberArgs, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.organizations.remove(actor(ctx), args.organizationId, args.userId);
  }

  @Authorized()
  @NotWhileImpersonating()
  @Mutation(() => Boolean, {
    description:
      "Leaves an organization the caller belongs to; audited (MEMBER_LEFT). Returns true; NOT_FOUND when the caller is not a member; CONFLICT (extensions.reason LAST_OWNER) for its last OWNER, who must name another OWNER first; FORBIDDEN (extensions.reason IMPERSONATION) in a session an ADMIN started as the user.",
  })
  leaveOrganization(@Arg("organizationId", () => ID, { description: "The organization to leave." }) organizationId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.organizations.leave(actor(ctx), organizationId);
  }
}

@Resolver(() => Organization)
export class OrganizationFieldsResolver {
  @FieldResolver(() => OrganizationRole, { nullable: true, description: "The caller's role in the organization, read from the database; null when the caller is not a member." })
  viewerRole(@Root() organization: Organization, @Ctx() ctx: GraphQLContext): Promise<OrganizationRole | null> {
    if (!ctx.viewer) return Promise.resolve(null);
    return ctx.services.organizations.roleOf(organization.id, ctx.viewer.user.id);
  }

  @FieldResolver(() => MembershipConnection, {
    description: "The members, earliest first. OWNER and ADMIN of the organization, and global ADMIN, only (FORBIDDEN otherwise).",
  })
  async members(@Root() organization: Organization, @Args(() => MembersArgs) args: MembersArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<Membership>> {
    const page = await ctx.services.organizations.members(ctx.viewer?.user, organization.id, { first: pageSize(args.first, 20), after: decodeCursor(args.after) });
    return toConnection(page);
  }

  @FieldResolver(() => [Invitation], {
    description: "The open invitations (neither accepted, revoked nor expired), newest first. OWNER and ADMIN of the organization, and global ADMIN, only (FORBIDDEN otherwise).",
  })
  invitations(@Root() organization: Organization, @Ctx() ctx: GraphQLContext): Promise<Invitation[]> {
    return ctx.services.organizations.invitations.listOpen(ctx.viewer?.user, organization.id);
  }
}

@Resolver(() => User)
export class UserOrganizationsResolver {
  @FieldResolver(() => [Membership], {
    description: "The organizations the user belongs to, with the role in each, earliest joined first. Visible to the user themself only: an empty list for anyone else.",
  })
  organizations(@Root() user: User, @Ctx() ctx: GraphQLContext): Promise<Membership[]> {
    if (ctx.viewer?.user.id !== user.id) return Promise.resolve([]);
    return ctx.services.organizations.membershipsOf(user.id);
  }
}

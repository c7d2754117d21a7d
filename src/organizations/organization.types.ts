import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTime } from "../graphql/scalars";
import { connectionTypes } from "../graphql/pagination";
import { User } from "../accounts";
import { OrganizationRole } from "../generated/prisma/enums";

export { OrganizationRole };

registerEnumType(OrganizationRole, {
  name: "OrganizationRole",
  description: "What a member may do in one organization. Read from the database on every request, so a change applies at once.",
  valuesConfig: {
    OWNER: {
      description: "Runs the organization: everything an ADMIN may, plus inviting, promoting and removing OWNERs. An organization always keeps at least one.",
    },
    ADMIN: {
      description: "Manages members: reads members, invitations and the organization's audit events, invites and removes ADMINs and MEMBERs, and changes their roles (never to or from OWNER).",
    },
    MEMBER: { description: "Belongs to the organization; reads the organization itself and its own membership, and may leave." },
  },
});

@InputType({ description: "A new organization: the caller becomes its first OWNER." })
export class CreateOrganizationInput {
  @Field(() => String, { description: "The name shown to people, 1 to 100 characters (BAD_USER_INPUT, field name, otherwise)." }) name!: string;
  @Field(() => String, {
    description:
      "The organization's unique handle: 3 to 48 characters of a-z, 0-9 and -, neither starting nor ending with - (BAD_USER_INPUT, field slug, otherwise); CONFLICT (field slug) when another organization has it.",
  })
  slug!: string;
}

@ObjectType({ description: "A customer's team: people grouped as OWNERs, ADMINs and MEMBERs, invited by e-mail." })
export class Organization {
  @Field(() => ID, { description: "The organization's identifier, also the org_id claim of access tokens acting for it." }) id!: string;
  @Field(() => String, { description: "The name shown to people." }) name!: string;
  @Field(() => String, { description: "The organization's unique handle: a-z, 0-9 and -, 3 to 48 characters." }) slug!: string;
  @Field(() => DateTime, { description: "When the organization was created." }) createdAt!: Date;
}

@ObjectType({ description: "One person's place in one organization, with their role there." })
export class Membership {
  @Field(() => ID, { description: "The membership's identifier." }) id!: string;
  @Field(() => OrganizationRole, { description: "What the member may do in the organization." }) role!: OrganizationRole;
  @Field(() => User, { description: "The member." }) user!: User;
  @Field(() => Organization, { description: "The organization." }) organization!: Organization;
  @Field(() => DateTime, { description: "When the person joined (created the organization or accepted an invitation)." }) createdAt!: Date;
}

export const { EdgeType: MembershipEdge, ConnectionType: MembershipConnection } = connectionTypes("Membership", Membership);

@ObjectType({
  description:
    "An open invitation to join an organization, mailed as APP_URL/accept-invitation?token=<token>: single use, it ends when accepted, revoked or past expiresAt.",
})
export class Invitation {
  @Field(() => ID, { description: "The invitation's identifier, for revokeInvitation and resendInvitation." }) id!: string;
  @Field(() => String, { description: "The invited address (lower-cased); only an account whose verified address is this one may accept." }) email!: string;
  @Field(() => OrganizationRole, { description: "The role the invited person gets on accepting." }) role!: OrganizationRole;
  @Field(() => DateTime, { description: "When the link stops working: ORGANIZATION_INVITATION_TTL (default 7 days) after it was sent or last resent." })
  expiresAt!: Date;
}

// Argument classes keep the contract's argument order (parameter decorators would reverse it).

@ArgsType()
export class MembersArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: "How many members to return, from 0 to 100 (BAD_USER_INPUT above)." }) first?: number | null;
  @Field(() => String, {
    nullable: true,
    description: "Return the members after this cursor (an edge's cursor or pageInfo.endCursor of the previous page); leave it out to start with the earliest member.",
  })
  after?: string | null;
}

@ArgsType()
export class InviteMemberArgs {
  @Field(() => ID, { description: "The organization to invite to." }) organizationId!: string;
  @Field(() => String, { description: "Where to send the invitation; only an account that verified this address may accept it." }) email!: string;
  @Field(() => OrganizationRole, { description: "The role the invited person gets; only an OWNER may invite an OWNER." }) role!: OrganizationRole;
}

@ArgsType()
export class SetMemberRoleArgs {
  @Field(() => ID, { description: "The organization." }) organizationId!: string;
  @Field(() => ID, { description: "The member whose role to change." }) userId!: string;
  @Field(() => OrganizationRole, { description: "The new role." }) role!: OrganizationRole;
}

@ArgsType()
export class MemberArgs {
  @Field(() => ID, { description: "The organization." }) organizationId!: string;
  @Field(() => ID, { description: "The member." }) userId!: string;
}

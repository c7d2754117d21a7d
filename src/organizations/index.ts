// What organizations/ offers the other features; they import from here, not from its files.
export { createOrganizations } from "./create-organizations";
export { OrganizationResolver, OrganizationFieldsResolver, UserOrganizationsResolver } from "./organization.resolver";
export type { OrganizationService } from "./organization.service";
export type { OrganizationActor } from "./organization-rules";
export type { InvitationService } from "./invitation.service";
export { ACTIVE_MEMBERSHIP_COLUMNS, activeMembershipJoinPart } from "./organization.store";
export type { MembershipWithParts } from "./organization.store";
export { Organization, OrganizationRole, Membership } from "./organization.types";

import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { AuditService } from "../audit";
import type { MailTemplates, Outbox } from "../mail";
import { OrganizationStore } from "./organization.store";
import { OrganizationService } from "./organization.service";
import { InvitationService, type InvitationPolicy } from "./invitation.service";

export interface OrganizationsDependencies {
  prisma: PrismaClient;
  clock: Clock;
  audit: AuditService;
  outbox: Outbox;
  templates: MailTemplates;
  policy: InvitationPolicy;
}

/** Organizations, memberships and invitations. */
export function createOrganizations(deps: OrganizationsDependencies) {
  const store = new OrganizationStore(deps.prisma);
  const invitations = new InvitationService(deps.prisma, store, deps.outbox, deps.templates, deps.audit, deps.clock, deps.policy);
  const organizations = new OrganizationService(deps.prisma, store, deps.audit, deps.clock, invitations);
  return { organizations, store };
}

import type { Prisma, PrismaClient, User } from "../generated/prisma/client";
import type { OrganizationRole } from "../generated/prisma/enums";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import type { Page, PageRequest } from "../common/page";
import { onDuplicateKey } from "../db/unique-violation";
import { AuditEventType, type AuditService } from "../audit";
import type { MembershipWithParts, OrganizationStore } from "./organization.store";
import type { InvitationService } from "./invitation.service";
import { assertValidSlug, cleanName, manages, type OrganizationActor } from "./organization-rules";
import type { Organization } from "./organization.types";


/**
 * Organizations and memberships. Every permission is read from the database in the request
 * that needs it (never from a token claim); changes that touch a member are audited with the
 * organization, which also drops the member's cached session state on every process.
 */
export class OrganizationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: OrganizationStore,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    readonly invitations: InvitationService,
  ) {}

  /** The caller's role in the organization, or null. */
  async roleOf(organizationId: string, userId: string, db: PrismaClient | Prisma.TransactionClient = this.prisma): Promise<OrganizationRole | null> {
    const membership = await this.store.membership(organizationId, userId, db);
    return membership && !membership.organization.deletedAt ? membership.role : null;
  }

  /** An organization that is not deleted, with no access check (the caller decided). */
  findLive(id: string): Promise<Organization | null> {
    return this.store.findLive(id);
  }

  /** The organization for a member or a global ADMIN; null for anyone else. */
  async visible(viewer: User, id: string): Promise<Organization | null> {
    const organization = await this.store.findLive(id);
    if (!organization) return null;
    if (viewer.role === "ADMIN") return organization;
    return (await this.roleOf(id, viewer.id)) ? organization : null;
  }

  /** Members and invitations: OWNER and ADMIN of it, and global ADMIN. */
  async assertMayReadMembers(viewer: User | undefined, organizationId: string): Promise<void> {
    if (!viewer) throw Errors.unauthenticated();
    if (viewer.role === "ADMIN") return;
    if (!manages(await this.roleOf(organizationId, viewer.id))) throw Errors.forbidden("Only the organization's OWNERs and ADMINs see this");
  }

  /**
   * The actor's role where they act on members: NOT_FOUND when they do not belong to the
   * organization (it stays unknown to them), FORBIDDEN when they are a MEMBER.
   */
  private async managerRole(tx: Prisma.TransactionClient, actor: User, organizationId: string): Promise<OrganizationRole> {
    const role = await this.roleOf(organizationId, actor.id, tx);
    if (!role) throw Errors.notFound("Organization not found");
    if (!manages(role)) throw Errors.forbidden("Only the organization's OWNERs and ADMINs may do this");
    return role;
  }

  async create(actor: OrganizationActor, input: { name: string; slug: string }): Promise<Organization> {
    const name = cleanName(input.name);
    assertValidSlug(input.slug);
    const now = this.clock.now();
    return onDuplicateKey(
      () =>
        this.prisma.$transaction(async (tx) => {
          const organization = await this.store.insertOrganization(tx, { name, slug: input.slug, createdAt: now });
          await this.store.insertMembership(tx, { organizationId: organization.id, userId: actor.user.id, role: "OWNER", createdAt: now });
          await this.audit.record(
            { type: AuditEventType.ORGANIZATION_CREATED, userId: actor.user.id, origin: actor.origin, organizationId: organization.id, metadata: { slug: organization.slug, name } },
            tx,
          );
          return organization;
        }),
      () => Errors.conflict("slug", "Another organization has this slug"),
    );
  }

  membershipsOf(userId: string): Promise<MembershipWithParts[]> {
    return this.store.membershipsOf(userId);
  }

  async members(viewer: User | undefined, organizationId: string, request: PageRequest): Promise<Page<MembershipWithParts>> {
    await this.assertMayReadMembers(viewer, organizationId);
    const rows = await this.store.membersPage(organizationId, request.first, request.after);
    return {
      items: rows.slice(0, request.first),
      hasNextPage: rows.length > request.first,
      keyOf: (item) => [item.createdAt.toISOString(), item.id],
      totalCount: () => this.store.countMembers(organizationId),
    };
  }

  async setRole(actor: OrganizationActor, organizationId: string, userId: string, role: OrganizationRole): Promise<MembershipWithParts> {
    return this.prisma.$transaction(async (tx) => {
      await this.store.lockMemberships(tx, organizationId);
      const actorRole = await this.managerRole(tx, actor.user, organizationId);
      const target = await this.store.membership(organizationId, userId, tx);
      if (!target) throw Errors.notFound("That user is not a member");
      if ((target.role === "OWNER" || role === "OWNER") && actorRole !== "OWNER") throw Errors.forbidden("Only an OWNER may make or unmake an OWNER");
      if (target.role === role) return target;
      if (target.role === "OWNER" && (await this.store.countOwners(tx, organizationId)) <= 1) throw Errors.lastOwner();
      const updated = await this.store.setRole(tx, target.id, role);
      await this.audit.record(
        { type: AuditEventType.MEMBER_ROLE_CHANGED, userId, actorId: actor.user.id, origin: actor.origin, organizationId, metadata: { from: target.role, to: role } },
        tx,
      );
      return updated;
    });
  }

  async remove(actor: OrganizationActor, organizationId: string, userId: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      await this.store.lockMemberships(tx, organizationId);
      const actorRole = await this.managerRole(tx, actor.user, organizationId);
      const target = await this.store.membership(organizationId, userId, tx);
      if (!target) throw Errors.notFound("That user is not a member");
      if (target.role === "OWNER" && actorRole !== "OWNER") throw Errors.forbidden("Only an OWNER may remove an OWNER");
      if (target.role === "OWNER" && (await this.store.countOwners(tx, organizationId)) <= 1) throw Errors.lastOwner();
      await this.store.deleteMembership(tx, target.id);
      await this.audit.record(
        { type: AuditEventType.MEMBER_REMOVED, userId, actorId: actor.user.id, origin: actor.origin, organizationId, metadata: { role: target.role } },
        tx,
      );
      return true;
    });
  }

  async leave(actor: OrganizationActor, organizationId: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      await this.store.lockMemberships(tx, organizationId);
      const membership = await this.store.membership(organizationId, actor.user.id, tx);
      if (!membership || membership.organization.deletedAt) throw Errors.notFound("Organization not found");
      if (membership.role === "OWNER" && (await this.store.countOwners(tx, organizationId)) <= 1) throw Errors.lastOwner();
      await this.store.deleteMembership(tx, membership.id);
      await this.audit.record(
        { type: AuditEventType.MEMBER_LEFT, userId: actor.user.id, origin: actor.origin, organizationId, metadata: { role: membership.role } },
        tx,
      );
      return true;
    });
  }
}

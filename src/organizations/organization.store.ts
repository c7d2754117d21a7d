import { Prisma, type PrismaClient, type Invitation, type Membership, type Organization, type User } from "../generated/prisma/client";
import type { OrganizationRole } from "../generated/prisma/enums";
import type { CursorKey } from "../common/page";

type Db = PrismaClient | Prisma.TransactionClient;

export type MembershipWithParts = Membership & { user: User; organization: Organization };

const WITH_PARTS = { user: true, organization: true } as const;

/**
 * The member's role in the session's active organization, as the columns `org_id` and
 * `org_role` of a LEFT JOIN aliased `om`: sessions/ adds it to the one statement that checks a
 * session on every request, so a membership change reaches the next request without a cache.
 * `session` is the session table's alias; a session whose user is no longer a member (or whose
 * organization was deleted) reads both columns as null.
 */
export function activeMembershipJoinPart(session: string): Prisma.Sql {
  const alias = Prisma.raw(`"${session}"`);
  return Prisma.sql`LEFT JOIN "Membership" om ON om."organizationId" = ${alias}."activeOrganizationId" AND om."userId" = ${alias}."userId"
    AND EXISTS (SELECT 1 FROM "Organization" oo WHERE oo.id = om."organizationId" AND oo."deletedAt" IS NULL)`;
}

/** The two columns activeMembershipJoinPart joins, for the select list. */
export const ACTIVE_MEMBERSHIP_COLUMNS = Prisma.sql`om."organizationId" AS "orgId", om.role::text AS "orgRole"`;

/** Every statement on Organization, Membership and Invitation. */
export class OrganizationStore {
  constructor(private readonly prisma: PrismaClient) {}

  get client(): PrismaClient {
    return this.prisma;
  }

  findLive(id: string, db: Db = this.prisma): Promise<Organization | null> {
    return db.organization.findFirst({ where: { id, deletedAt: null } });
  }

  insertOrganization(tx: Prisma.TransactionClient, row: { name: string; slug: string; createdAt: Date }): Promise<Organization> {
    return tx.organization.create({ data: row });
  }

  insertMembership(tx: Prisma.TransactionClient, row: { organizationId: string; userId: string; role: OrganizationRole; createdAt: Date }): Promise<MembershipWithParts> {
    return tx.membership.create({ data: row, include: WITH_PARTS });
  }

  membership(organizationId: string, userId: string, db: Db = this.prisma): Promise<MembershipWithParts | null> {
    return db.membership.findUnique({ where: { organizationId_userId: { organizationId, userId } }, include: WITH_PARTS });
  }

  /** The membership, locking the organization's membership rows first so last-owner checks run one at a time. */
  async lockMemberships(tx: Prisma.TransactionClient, organizationId: string): Promise<void> {
    await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`;
  }

  countOwners(tx: Db, organizationId: string): Promise<number> {
    return tx.membership.count({ where: { organizationId, role: "OWNER" } });
  }

  setRole(tx: Prisma.TransactionClient, id: string, role: OrganizationRole): Promise<MembershipWithParts> {
    return tx.membership.update({ where: { id }, data: { role }, include: WITH_PARTS });
  }

  async deleteMembership(tx: Prisma.TransactionClient, id: string): Promise<void> {
    await tx.membership.delete({ where: { id } });
  }

  membershipsOf(userId: string): Promise<MembershipWithParts[]> {
    return this.prisma.membership.findMany({
      where: { userId, organization: { deletedAt: null } },
      include: WITH_PARTS,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
  }

  /** One page of members by (createdAt, id), through the (organizationId, createdAt, id) index. */
  async membersPage(organizationId: string, first: number, after: CursorKey | undefined): Promise<MembershipWithParts[]> {
    const position = after && after.length === 2 && after[0] && after[1] ? { createdAt: new Date(after[0]), id: after[1] } : undefined;
    return this.prisma.membership.findMany({
      where: {
        organizationId,
        ...(position ? { OR: [{ createdAt: { gt: position.createdAt } }, { createdAt: position.createdAt, id: { gt: position.id } }] } : {}),
      },
      include: WITH_PARTS,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: first + 1,
    });
  }

  countMembers(organizationId: string): Promise<number> {
    return this.prisma.membership.count({ where: { organizationId } });
  }

  /** Whether the verified owner of this (normalized) address is a member. */
  async hasMemberWithVerifiedEmail(tx: Db, organizationId: string, emailNormalized: string): Promise<boolean> {
    const found = await tx.membership.findFirst({ where: { organizationId, user: { emailNormalized, emailVerified: true, deletedAt: null } }, select: { id: true } });
    return found !== null;
  }

  insertInvitation(
    tx: Prisma.TransactionClient,
    row: { organizationId: string; email: string; role: OrganizationRole; tokenHash: string; expiresAt: Date; invitedById: string | null; createdAt: Date },
  ): Promise<Invitation> {
    return tx.invitation.create({ data: row });
  }

  /** Ends the open invitations of one address to one organization (a new one replaces them). */
  async revokeOpenInvitationsTo(tx: Prisma.TransactionClient, organizationId: string, email: string, now: Date): Promise<void> {
    await tx.invitation.updateMany({ where: { organizationId, email, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
  }

  invitation(id: string, db: Db = this.prisma): Promise<Invitation | null> {
    return db.invitation.findUnique({ where: { id } });
  }

  /** The invitation of a token hash, locked for the accepting transaction. */
  async invitationByTokenHashForUpdate(tx: Prisma.TransactionClient, tokenHash: string): Promise<Invitation | null> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "Invitation" WHERE "tokenHash" = ${tokenHash} FOR UPDATE`;
    if (rows.length === 0) return null;
    return tx.invitation.findUnique({ where: { id: rows[0].id } });
  }

  async markAccepted(tx: Prisma.TransactionClient, id: string, now: Date): Promise<void> {
    await tx.invitation.update({ where: { id }, data: { acceptedAt: now } });
  }

  async markRevoked(tx: Prisma.TransactionClient, id: string, now: Date): Promise<void> {
    await tx.invitation.update({ where: { id }, data: { revokedAt: now } });
  }

  openInvitations(organizationId: string, now: Date): Promise<Invitation[]> {
    return this.prisma.invitation.findMany({
      where: { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
  }

  /** When the organization's latest invitations (up to `max`) since `since` were sent, newest first. */
  async recentInvitationTimes(tx: Db, organizationId: string, since: Date, max: number): Promise<Date[]> {
    const rows = await tx.invitation.findMany({
      where: { organizationId, createdAt: { gte: since } },
      select: { createdAt: true },
      orderBy: { createdAt: "desc" },
      take: max,
    });
    return rows.map((row) => row.createdAt);
  }
}

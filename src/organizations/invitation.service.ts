import type { Invitation, Prisma, PrismaClient, User } from "../generated/prisma/client";
import type { OrganizationRole } from "../generated/prisma/enums";
import { AppError, ErrorCode, Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { randomToken, sha256 } from "../common/tokens";
import { assertValidEmail, normalizeEmail } from "../accounts";
import { AuditEventType, type AuditService } from "../audit";
import type { MailTemplates, Outbox } from "../mail";
import type { MembershipWithParts, OrganizationStore } from "./organization.store";
import { manages, type OrganizationActor } from "./organization-rules";

export interface InvitationPolicy {
  /** The app the mailed links open (APP_URL). */
  appUrl: string;
  /** How long a link works (ORGANIZATION_INVITATION_TTL). */
  ttlMs: number;
  /** Invitations one organization may send per window (RATE_LIMIT_INVITATIONS); null: no limit. */
  perOrganization: { max: number; windowMs: number } | null;
}

/** The contract's link: APP_URL/accept-invitation?token=<token> (the token is base64url). */
export function invitationLink(appUrl: string, token: string): string {
  return `${appUrl}/accept-invitation?token=${token}`;
}

const unusable = (reason: string, message: string) => new AppError(ErrorCode.BAD_USER_INPUT, message, { field: "token", reason });

/** Why a found invitation cannot be used now, or null when it can. */
function refusal(invitation: Invitation | null, now: Date): AppError | null {
  if (!invitation) return unusable("INVITATION_INVALID", "This invitation link is not valid");
  if (invitation.acceptedAt) return unusable("INVITATION_USED", "This invitation was already accepted");
  if (invitation.revokedAt) return unusable("INVITATION_REVOKED", "This invitation was withdrawn or replaced by a newer one");
  if (invitation.expiresAt.getTime() <= now.getTime()) return unusable("INVITATION_EXPIRED", "This invitation has expired: ask for a new one");
  return null;
}

/**
 * Invitations by e-mail: a single-use link whose token is stored only hashed, mailed in the
 * transaction that creates it (the outbox), accepted by the account whose verified address
 * is the invited one, or by a sign-up from the link (register's invitationToken).
 */
export class InvitationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: OrganizationStore,
    private readonly outbox: Outbox,
    private readonly templates: MailTemplates,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: InvitationPolicy,
  ) {}

  private async actorRole(tx: Prisma.TransactionClient, actor: User, organizationId: string): Promise<OrganizationRole> {
    const membership = await this.store.membership(organizationId, actor.id, tx);
    if (!membership || membership.organization.deletedAt) throw Errors.notFound("Organization not found");
    if (!manages(membership.role)) throw Errors.forbidden("Only the organization's OWNERs and ADMINs may do this");
    return membership.role;
  }

  private async assertUnderLimit(tx: Prisma.TransactionClient, organizationId: string, now: Date): Promise<void> {
    const limit = this.policy.perOrganization;
    if (!limit) return;
    const recent = await this.store.recentInvitationTimes(tx, organizationId, new Date(now.getTime() - limit.windowMs), limit.max);
    if (recent.length >= limit.max) {
      const freeing = recent[recent.length - 1].getTime() + limit.windowMs;
      throw Errors.rateLimited(Math.max(1, Math.ceil((freeing - now.getTime()) / 1000)));
    }
  }

  /** Writes a new invitation row and its mail, replacing open ones to the same address. */
  private async issue(
    tx: Prisma.TransactionClient,
    actor: OrganizationActor,
    organization: { id: string; name: string },
    email: string,
    role: OrganizationRole,
    now: Date,
  ): Promise<Invitation> {
    await this.assertUnderLimit(tx, organization.id, now);
    await this.store.revokeOpenInvitationsTo(tx, organization.id, email, now);
    const token = randomToken();
    const invitation = await this.store.insertInvitation(tx, {
      organizationId: organization.id,
      email,
      role,
      tokenHash: sha256(token),
      expiresAt: new Date(now.getTime() + this.policy.ttlMs),
      invitedById: actor.user.id,
      createdAt: now,
    });
    const mail = this.templates.organizationInvitation({
      link: invitationLink(this.policy.appUrl, token),
      validForMs: this.policy.ttlMs,
      organization: organization.name,
      role,
      inviter: actor.user.username,
    });
    await this.outbox.queue(tx, { to: email, ...mail });
    return invitation;
  }

  async invite(actor: OrganizationActor, organizationId: string, emailInput: string, role: OrganizationRole): Promise<Invitation> {
    const email = normalizeEmail(assertValidEmail(emailInput, "email"));
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      // Invitations of one organization are counted one after the other.
      await this.store.lockMemberships(tx, organizationId);
      const actorRole = await this.actorRole(tx, actor.user, organizationId);
      if (role === "OWNER" && actorRole !== "OWNER") throw Errors.forbidden("Only an OWNER may invite an OWNER");
      if (await this.store.hasMemberWithVerifiedEmail(tx, organizationId, email)) throw Errors.conflict("email", "The account with this address is already a member");
      const organization = (await this.store.findLive(organizationId, tx))!;
      const invitation = await this.issue(tx, actor, organization, email, role, now);
      await this.audit.record(
        { type: AuditEventType.MEMBER_INVITED, userId: null, actorId: actor.user.id, origin: actor.origin, organizationId, metadata: { invitationId: invitation.id, email, role } },
        tx,
      );
      return invitation;
    });
  }

  /** A new link (and expiry) for an open invitation; the old link stops working. Returns the new invitation. */
  async resend(actor: OrganizationActor, id: string): Promise<Invitation> {
    const now = this.clock.now();
    const found = await this.store.invitation(id);
    if (!found) throw Errors.notFound("Invitation not found");
    return this.prisma.$transaction(async (tx) => {
      await this.store.lockMemberships(tx, found.organizationId);
      const actorRole = await this.actorRole(tx, actor.user, found.organizationId);
      const invitation = (await this.store.invitation(id, tx))!;
      if (invitation.acceptedAt || invitation.revokedAt) throw Errors.conflict("id", "This invitation was already accepted or revoked");
      if (invitation.role === "OWNER" && actorRole !== "OWNER") throw Errors.forbidden("Only an OWNER may invite an OWNER");
      const organization = (await this.store.findLive(invitation.organizationId, tx))!;
      const next = await this.issue(tx, actor, organization, invitation.email, invitation.role, now);
      await this.audit.record(
        {
          type: AuditEventType.MEMBER_INVITED,
          userId: null,
          actorId: actor.user.id,
          origin: actor.origin,
          organizationId: invitation.organizationId,
          metadata: { invitationId: next.id, email: invitation.email, role: invitation.role, resent: true, replaces: invitation.id },
        },
        tx,
      );
      return next;
    });
  }

  async revoke(actor: OrganizationActor, id: string): Promise<boolean> {
    const now = this.clock.now();
    const found = await this.store.invitation(id);
    if (!found) throw Errors.notFound("Invitation not found");
    return this.prisma.$transaction(async (tx) => {
      await this.store.lockMemberships(tx, found.organizationId);
      await this.actorRole(tx, actor.user, found.organizationId);
      const invitation = (await this.store.invitation(id, tx))!;
      if (invitation.acceptedAt || invitation.revokedAt) throw Errors.conflict("id", "This invitation was already accepted or revoked");
      await this.store.markRevoked(tx, id, now);
      await this.audit.record(
        { type: AuditEventType.INVITATION_REVOKED, userId: null, actorId: actor.user.id, origin: actor.origin, organizationId: invitation.organizationId, metadata: { invitationId: id, email: invitation.email } },
        tx,
      );
      return true;
    });
  }

  async listOpen(viewer: User | undefined, organizationId: string): Promise<Invitation[]> {
    if (!viewer) throw Errors.unauthenticated();
    if (viewer.role !== "ADMIN") {
      const membership = await this.store.membership(organizationId, viewer.id);
      if (!manages(membership?.role)) throw Errors.forbidden("Only the organization's OWNERs and ADMINs see this");
    }
    return this.store.openInvitations(organizationId, this.clock.now());
  }

  async accept(actor: OrganizationActor, token: string): Promise<MembershipWithParts> {
    return this.prisma.$transaction((tx) => this.acceptIn(tx, actor, token));
  }

  /**
   * Accepts inside the caller's transaction (acceptInvitation's own, or register's when a
   * person signs up from the link): the user's verified address must be the invited one.
   */
  async acceptIn(tx: Prisma.TransactionClient, actor: OrganizationActor, token: string): Promise<MembershipWithParts> {
    const now = this.clock.now();
    const invitation = typeof token === "string" && token.length > 0 && token.length <= 512 ? await this.store.invitationByTokenHashForUpdate(tx, sha256(token)) : null;
    const refused = refusal(invitation, now);
    if (refused) throw refused;
    const { user } = actor;
    if (!user.emailVerified || user.emailNormalized !== invitation!.email) {
      throw Errors.forbidden("This invitation was sent to another e-mail address: sign in with the account whose verified address received it", { reason: "EMAIL_MISMATCH" });
    }
    const organization = await this.store.findLive(invitation!.organizationId, tx);
    if (!organization) throw unusable("INVITATION_INVALID", "This invitation link is not valid");
    if (await this.store.membership(organization.id, user.id, tx)) throw Errors.conflict("token", "You already belong to this organization");
    await this.store.markAccepted(tx, invitation!.id, now);
    const membership = await this.store.insertMembership(tx, { organizationId: organization.id, userId: user.id, role: invitation!.role, createdAt: now });
    await this.audit.record(
      { type: AuditEventType.INVITATION_ACCEPTED, userId: user.id, origin: actor.origin, organizationId: organization.id, metadata: { invitationId: invitation!.id, role: invitation!.role } },
      tx,
    );
    return membership;
  }

  /** For register: the invited address of a usable token, or the refusal (BAD_USER_INPUT on invitationToken). */
  async invitedAddress(tx: Prisma.TransactionClient, token: string): Promise<string> {
    const invitation = typeof token === "string" && token.length > 0 && token.length <= 512 ? await this.store.invitationByTokenHashForUpdate(tx, sha256(token)) : null;
    const refused = refusal(invitation, this.clock.now());
    if (refused) throw new AppError(ErrorCode.BAD_USER_INPUT, refused.message, { field: "invitationToken", reason: refused.extensions.reason });
    return invitation!.email;
  }
}

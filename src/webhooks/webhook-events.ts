import type { Prisma, PrismaClient, User } from "../generated/prisma/client";
import { AuditEventType, type AuditEntry } from "../audit";

type Db = PrismaClient | Prisma.TransactionClient;

/** What user.created reports of a new account. */
export type NewAccount = Pick<User, "id" | "username" | "email" | "emailVerified" | "role" | "createdAt">;

/**
 * Reads a just-registered account in the registering transaction (`db`): the accounts feature
 * owns the User table and provides this; the composition passes it in.
 */
export interface NewAccountReader {
  newAccount(userId: string, db: Db): Promise<NewAccount>;
}

/** Every event an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  "user.created",
  "user.updated",
  "user.deleted",
  "user.disabled",
  "user.role_changed",
  "user.email_verified",
  "session.created",
  "session.revoked",
  "password.changed",
  "password.reset",
  "two_factor.enabled",
  "two_factor.disabled",
  "user.email_change_requested",
  "user.email_changed",
  "passkey.added",
  "oauth.linked",
  "two_factor.recovery_codes_regenerated",
  /** A sign-in from a device the account had not signed in from (notices/security-notices.ts). */
  "session.new_device",
  "organization.created",
  "membership.invited",
  "membership.invitation_revoked",
  "membership.created",
  "membership.role_changed",
  "membership.removed",
  "personal_access_token.created",
  "personal_access_token.revoked",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEvent {
  type: WebhookEventType;
  /** Ids and what changed, never secrets (no hashes, tokens, codes or passwords). */
  data: Record<string, unknown>;
}

type Builder = (entry: AuditEntry, db: Db, accounts: NewAccountReader) => Promise<WebhookEvent> | WebhookEvent;

const meta = (entry: AuditEntry) => entry.metadata ?? {};
/** Who acted, when someone other than the user did (an ADMIN; null for the command line). */
const actor = (entry: AuditEntry) => (entry.actorId === undefined ? {} : { actorId: entry.actorId });

// Each webhook event follows from the audit event of the same change: the audit trail is
// already written in every transaction that emits one (see WebhookEventWriter.deliveriesForAudit).
const FROM_AUDIT: Partial<Record<AuditEventType, Builder>> = {
  [AuditEventType.REGISTERED]: async (entry, db, accounts) => {
    const user = await accounts.newAccount(entry.userId!, db);
    const method =
      meta(entry).method === "OAUTH"
        ? { method: "OAUTH", provider: meta(entry).provider }
        : meta(entry).method === "ADMIN"
          ? { method: "ADMIN", ...actor(entry) }
          : meta(entry).method === "MAGIC_LINK"
            ? { method: "MAGIC_LINK" }
            : { method: "PASSWORD" };
    return { type: "user.created", data: { userId: user.id, username: user.username, email: user.email, emailVerified: user.emailVerified, role: user.role, createdAt: user.createdAt.toISOString(), ...method } };
  },
  // Field names only, as in the audit trail: the values are personal data a receiver can read through the API.
  [AuditEventType.PROFILE_UPDATED]: (entry) => ({ type: "user.updated", data: { userId: entry.userId, changedFields: meta(entry).fields ?? [], ...actor(entry) } }),
  [AuditEventType.AVATAR_CHANGED]: (entry) => ({ type: "user.updated", data: { userId: entry.userId, changedFields: ["avatar"] } }),
  [AuditEventType.USER_ENABLED]: (entry) => ({ type: "user.updated", data: { userId: entry.userId, changedFields: ["disabled"], disabled: false, ...actor(entry) } }),
  [AuditEventType.ACCOUNT_DELETED]: (entry) => ({ type: "user.deleted", data: { userId: entry.userId, ...actor(entry) } }),
  [AuditEventType.USER_DISABLED]: (entry) => ({
    type: "user.disabled",
    data: { userId: entry.userId, sessionsRevoked: meta(entry).sessionsRevoked ?? 0, ...(meta(entry).until ? { until: meta(entry).until } : {}), ...actor(entry) },
  }),
  [AuditEventType.ROLE_CHANGED]: (entry) => ({
    type: "user.role_changed",
    data: { userId: entry.userId, from: meta(entry).from, to: meta(entry).to, ...actor(entry) },
  }),
  [AuditEventType.EMAIL_VERIFIED]: (entry) => ({ type: "user.email_verified", data: { userId: entry.userId } }),
  // The addresses are personal data: a receiver reads them through the API.
  [AuditEventType.EMAIL_CHANGE_REQUESTED]: (entry) => ({ type: "user.email_change_requested", data: { userId: entry.userId, ...actor(entry) } }),
  [AuditEventType.EMAIL_CHANGED]: (entry) => ({ type: "user.email_changed", data: { userId: entry.userId, ...actor(entry) } }),
  [AuditEventType.PASSKEY_ADDED]: (entry) => ({ type: "passkey.added", data: { userId: entry.userId, passkeyId: meta(entry).passkeyId } }),
  [AuditEventType.OAUTH_ACCOUNT_LINKED]: (entry) => ({
    type: "oauth.linked",
    data: { userId: entry.userId, provider: meta(entry).provider, via: meta(entry).via },
  }),
  [AuditEventType.RECOVERY_CODES_REGENERATED]: (entry) => ({ type: "two_factor.recovery_codes_regenerated", data: { userId: entry.userId } }),
  [AuditEventType.LOGIN_SUCCEEDED]: (entry) => ({ type: "session.created", data: { userId: entry.userId, sessionId: meta(entry).sessionId } }),
  [AuditEventType.LOGOUT]: (entry) => ({ type: "session.revoked", data: { userId: entry.userId, ...revoked(entry), reason: "LOGOUT" } }),
  [AuditEventType.SESSION_REVOKED]: (entry) => ({
    type: "session.revoked",
    data: { userId: entry.userId, ...revoked(entry), reason: entry.actorId === undefined ? "REVOKED" : "REVOKED_BY_ADMIN", ...actor(entry) },
  }),
  [AuditEventType.REFRESH_TOKEN_REUSED]: (entry) => ({
    type: "session.revoked",
    data: { userId: entry.userId, ...revoked(entry), reason: "REFRESH_TOKEN_REUSED" },
  }),
  [AuditEventType.PASSWORD_CHANGED]: (entry) => ({
    type: "password.changed",
    data: { userId: entry.userId, otherSessionsRevoked: meta(entry).otherSessionsRevoked ?? 0 },
  }),
  [AuditEventType.PASSWORD_RESET]: (entry) => ({
    type: "password.reset",
    data: { userId: entry.userId, method: meta(entry).method, sessionsRevoked: meta(entry).revokedSessions ?? 0 },
  }),
  [AuditEventType.TWO_FACTOR_ENABLED]: (entry) => ({ type: "two_factor.enabled", data: { userId: entry.userId, method: meta(entry).method } }),
  [AuditEventType.TWO_FACTOR_DISABLED]: (entry) => ({ type: "two_factor.disabled", data: { userId: entry.userId, method: meta(entry).method } }),
  // Organizations: ids and roles; the invited address is personal data a receiver reads through the API.
  [AuditEventType.ORGANIZATION_CREATED]: (entry) => ({
    type: "organization.created",
    data: { organizationId: entry.organizationId, slug: meta(entry).slug, ownerId: entry.userId },
  }),
  [AuditEventType.MEMBER_INVITED]: (entry) => ({
    type: "membership.invited",
    data: { organizationId: entry.organizationId, invitationId: meta(entry).invitationId, role: meta(entry).role, resent: meta(entry).resent === true, ...actor(entry) },
  }),
  [AuditEventType.INVITATION_REVOKED]: (entry) => ({
    type: "membership.invitation_revoked",
    data: { organizationId: entry.organizationId, invitationId: meta(entry).invitationId, ...actor(entry) },
  }),
  [AuditEventType.INVITATION_ACCEPTED]: (entry) => ({
    type: "membership.created",
    data: { organizationId: entry.organizationId, userId: entry.userId, role: meta(entry).role, invitationId: meta(entry).invitationId },
  }),
  [AuditEventType.MEMBER_ROLE_CHANGED]: (entry) => ({
    type: "membership.role_changed",
    data: { organizationId: entry.organizationId, userId: entry.userId, from: meta(entry).from, to: meta(entry).to, ...actor(entry) },
  }),
  [AuditEventType.MEMBER_REMOVED]: (entry) => ({
    type: "membership.removed",
    data: { organizationId: entry.organizationId, userId: entry.userId, role: meta(entry).role, reason: "REMOVED", ...actor(entry) },
  }),
  [AuditEventType.MEMBER_LEFT]: (entry) => ({
    type: "membership.removed",
    data: { organizationId: entry.organizationId, userId: entry.userId, role: meta(entry).role, reason: "LEFT" },
  }),
  // Ids, scopes and dates: never the secret or its hash.
  [AuditEventType.PERSONAL_ACCESS_TOKEN_CREATED]: (entry) => ({
    type: "personal_access_token.created",
    data: { userId: entry.userId, tokenId: meta(entry).tokenId, scopes: meta(entry).scopes ?? [], expiresAt: meta(entry).expiresAt ?? null },
  }),
  [AuditEventType.PERSONAL_ACCESS_TOKEN_REVOKED]: (entry) => ({ type: "personal_access_token.revoked", data: { userId: entry.userId, tokenId: meta(entry).tokenId } }),
};

/** One session ({sessionId}) or all of them ({allSessions: true, count}). */
function revoked(entry: AuditEntry): Record<string, unknown> {
  const m = meta(entry);
  return typeof m.sessionId === "string" ? { sessionId: m.sessionId } : { allSessions: true, count: m.count ?? 0 };
}

/** The webhook event an audit event stands for, or null when it has none. */
export async function webhookEventFromAudit(entry: AuditEntry, db: Db, accounts: NewAccountReader): Promise<WebhookEvent | null> {
  const build = FROM_AUDIT[entry.type];
  // Organization events may name no user (an invitation); every other event is about one.
  if (!build || (!entry.userId && !entry.organizationId)) return null;
  return build(entry, db, accounts);
}

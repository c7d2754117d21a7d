/** Every event type written to the audit trail, in one place. */
export const AuditEventType = {
  REGISTERED: "REGISTERED",
  LOGIN_SUCCEEDED: "LOGIN_SUCCEEDED",
  LOGIN_FAILED: "LOGIN_FAILED",
  ACCOUNT_LOCKED: "ACCOUNT_LOCKED",
  LOGOUT: "LOGOUT",
  SESSION_REVOKED: "SESSION_REVOKED",
  REFRESH_TOKEN_REUSED: "REFRESH_TOKEN_REUSED",
  PASSWORD_CHANGED: "PASSWORD_CHANGED",
  PASSWORD_RESET: "PASSWORD_RESET",
  PASSWORD_REHASHED: "PASSWORD_REHASHED",
  PROFILE_UPDATED: "PROFILE_UPDATED",
  AVATAR_CHANGED: "AVATAR_CHANGED",
  EMAIL_VERIFIED: "EMAIL_VERIFIED",
  /** updateProfile asked for a new address; it is pendingEmail until its link is followed. */
  EMAIL_CHANGE_REQUESTED: "EMAIL_CHANGE_REQUESTED",
  /** The confirmation link made the pending address the account's (verified) address. */
  EMAIL_CHANGED: "EMAIL_CHANGED",
  /** Another account proved the mailbox of this account's unverified address: the claim was dropped. */
  EMAIL_CLAIM_REMOVED: "EMAIL_CLAIM_REMOVED",
  TWO_FACTOR_ENABLED: "TWO_FACTOR_ENABLED",
  TWO_FACTOR_DISABLED: "TWO_FACTOR_DISABLED",
  TWO_FACTOR_RECOVERY_CODE_USED: "TWO_FACTOR_RECOVERY_CODE_USED",
  TWO_FACTOR_CHALLENGE_FAILED: "TWO_FACTOR_CHALLENGE_FAILED",
  RECOVERY_CODES_REGENERATED: "RECOVERY_CODES_REGENERATED",
  ROLE_CHANGED: "ROLE_CHANGED",
  USER_DISABLED: "USER_DISABLED",
  USER_ENABLED: "USER_ENABLED",
  ACCOUNT_DELETED: "ACCOUNT_DELETED",
  OAUTH_ACCOUNT_LINKED: "OAUTH_ACCOUNT_LINKED",
  OAUTH_ACCOUNT_UNLINKED: "OAUTH_ACCOUNT_UNLINKED",
  WEBHOOK_ENDPOINT_CREATED: "WEBHOOK_ENDPOINT_CREATED",
  WEBHOOK_ENDPOINT_UPDATED: "WEBHOOK_ENDPOINT_UPDATED",
  WEBHOOK_ENDPOINT_DELETED: "WEBHOOK_ENDPOINT_DELETED",
  WEBHOOK_SECRET_ROTATED: "WEBHOOK_SECRET_ROTATED",
  WEBHOOK_REDELIVERY_REQUESTED: "WEBHOOK_REDELIVERY_REQUESTED",
  /** An endpoint that kept failing was turned off by the deliverer (no actor). */
  WEBHOOK_ENDPOINT_DISABLED: "WEBHOOK_ENDPOINT_DISABLED",
  PASSKEY_ADDED: "PASSKEY_ADDED",
  PASSKEY_RENAMED: "PASSKEY_RENAMED",
  PASSKEY_REMOVED: "PASSKEY_REMOVED",
  /** A passkey presented a sign counter at or below the stored one: possibly a cloned authenticator. */
  PASSKEY_COUNTER_REGRESSED: "PASSKEY_COUNTER_REGRESSED",
  /** The user proved who they are again in a session (reauthenticate); metadata names the method. */
  REAUTHENTICATED: "REAUTHENTICATED",
  REAUTHENTICATION_FAILED: "REAUTHENTICATION_FAILED",
  SECRET_PASSKEY_CHANGED: "SECRET_PASSKEY_CHANGED",
  /** An ADMIN started a session as the user (impersonateUser); the actor is the ADMIN, metadata the reason and session. */
  IMPERSONATION_STARTED: "IMPERSONATION_STARTED",
  /** An impersonated session was logged out. */
  IMPERSONATION_ENDED: "IMPERSONATION_ENDED",
  /** An ADMIN mailed the account a password-reset link (sendPasswordReset); nothing changed yet. */
  PASSWORD_RESET_SENT: "PASSWORD_RESET_SENT",
  /** An ADMIN registered an OpenID Provider client (createOAuthClient); metadata its clientId, never its secret. */
  OAUTH_CLIENT_CREATED: "OAUTH_CLIENT_CREATED",
  OAUTH_CLIENT_UPDATED: "OAUTH_CLIENT_UPDATED",
  OAUTH_CLIENT_SECRET_ROTATED: "OAUTH_CLIENT_SECRET_ROTATED",
  /** The client went, with every grant and token issued to it. */
  OAUTH_CLIENT_DELETED: "OAUTH_CLIENT_DELETED",
  /** The user withdrew their consent to a client (revokeAuthorizedApp): its grants and tokens for them went. */
  AUTHORIZED_APP_REVOKED: "AUTHORIZED_APP_REVOKED",
  /** Organization and membership events carry the organization in AuditEvent.organizationId. */
  ORGANIZATION_CREATED: "ORGANIZATION_CREATED",
  /** An OWNER or ADMIN invited an address (metadata: email, role, resent when mailed again). */
  MEMBER_INVITED: "MEMBER_INVITED",
  INVITATION_ACCEPTED: "INVITATION_ACCEPTED",
  INVITATION_REVOKED: "INVITATION_REVOKED",
  MEMBER_ROLE_CHANGED: "MEMBER_ROLE_CHANGED",
  MEMBER_REMOVED: "MEMBER_REMOVED",
  MEMBER_LEFT: "MEMBER_LEFT",
  /** The user made a personal access token (metadata: tokenId, scopes, expiresAt; never the secret). */
  PERSONAL_ACCESS_TOKEN_CREATED: "PERSONAL_ACCESS_TOKEN_CREATED",
  PERSONAL_ACCESS_TOKEN_REVOKED: "PERSONAL_ACCESS_TOKEN_REVOKED",
  /** requestEmailCode made a sign-in code challenge (userId null for an address without an account; no code mailed then). */
  EMAIL_CODE_REQUESTED: "EMAIL_CODE_REQUESTED",
  /** A wrong sign-in code (metadata attemptsLeft); the sign-in itself is LOGIN_SUCCEEDED with method EMAIL_CODE. */
  EMAIL_CODE_FAILED: "EMAIL_CODE_FAILED",
  /** The last allowed wrong code spent the challenge: even the right code fails now. */
  EMAIL_CODE_EXHAUSTED: "EMAIL_CODE_EXHAUSTED",
  /** requestMagicLink was called for the account's address (metadata: mailed, boundToBrowser); nothing changed yet. */
  MAGIC_LINK_REQUESTED: "MAGIC_LINK_REQUESTED",
} as const;
export type AuditEventType = (typeof AuditEventType)[keyof typeof AuditEventType];

/**
 * Whether an event changes what a signed-in request reads about its user (the account, its
 * role, its sessions, its ways in): the session cache drops what it holds for the user after
 * such an event commits. Every event type is classified here (a new one does not compile
 * until it is), and USER_CHANGING_EVENTS is the positive list read at run time.
 */
export const CHANGES_USER: Readonly<Record<AuditEventType, boolean>> = {
  // A new account: nothing about it can be cached yet, so nothing can be stale.
  REGISTERED: false,
  LOGIN_SUCCEEDED: false,
  LOGIN_FAILED: false,
  ACCOUNT_LOCKED: false,
  LOGOUT: true,
  SESSION_REVOKED: true,
  REFRESH_TOKEN_REUSED: true,
  PASSWORD_CHANGED: true,
  PASSWORD_RESET: true,
  PASSWORD_REHASHED: true,
  PROFILE_UPDATED: true,
  AVATAR_CHANGED: true,
  EMAIL_VERIFIED: true,
  EMAIL_CHANGE_REQUESTED: true,
  EMAIL_CHANGED: true,
  EMAIL_CLAIM_REMOVED: true,
  TWO_FACTOR_ENABLED: true,
  TWO_FACTOR_DISABLED: true,
  TWO_FACTOR_RECOVERY_CODE_USED: true,
  TWO_FACTOR_CHALLENGE_FAILED: false,
  RECOVERY_CODES_REGENERATED: true,
  ROLE_CHANGED: true,
  USER_DISABLED: true,
  USER_ENABLED: true,
  ACCOUNT_DELETED: true,
  OAUTH_ACCOUNT_LINKED: true,
  OAUTH_ACCOUNT_UNLINKED: true,
  // Webhook events are about endpoints: they name no user.
  WEBHOOK_ENDPOINT_CREATED: false,
  WEBHOOK_ENDPOINT_UPDATED: false,
  WEBHOOK_ENDPOINT_DELETED: false,
  WEBHOOK_SECRET_ROTATED: false,
  WEBHOOK_REDELIVERY_REQUESTED: false,
  WEBHOOK_ENDPOINT_DISABLED: false,
  PASSKEY_ADDED: true,
  PASSKEY_RENAMED: true,
  PASSKEY_REMOVED: true,
  PASSKEY_COUNTER_REGRESSED: false,
  // The session's own cache entry is dropped where authenticatedAt is written.
  REAUTHENTICATED: false,
  REAUTHENTICATION_FAILED: false,
  SECRET_PASSKEY_CHANGED: true,
  // A new session: nothing about it can be cached yet.
  IMPERSONATION_STARTED: false,
  IMPERSONATION_ENDED: true,
  // Only a link went out: the account changes when (if) it is followed.
  PASSWORD_RESET_SENT: false,
  // OpenID Provider clients are not accounts, and a consent is not read by a signed-in request
  // to this API: the provider reads its grants from the database on every use.
  OAUTH_CLIENT_CREATED: false,
  OAUTH_CLIENT_UPDATED: false,
  OAUTH_CLIENT_SECRET_ROTATED: false,
  OAUTH_CLIENT_DELETED: false,
  AUTHORIZED_APP_REVOKED: false,
  // Membership events name the member (userId): the sessions' organization role is cached with
  // the session state, so the member's cache entries go. Creating one makes the creator OWNER.
  ORGANIZATION_CREATED: true,
  // Nothing joins until the invitation is accepted.
  MEMBER_INVITED: false,
  INVITATION_ACCEPTED: true,
  INVITATION_REVOKED: false,
  MEMBER_ROLE_CHANGED: true,
  MEMBER_REMOVED: true,
  MEMBER_LEFT: true,
  // Tokens are not in the session cache; the token cache drops the owner's tokens because the
  // revocation announces the owner itself (PersonalAccessTokenService.revoke), written or not.
  PERSONAL_ACCESS_TOKEN_CREATED: false,
  PERSONAL_ACCESS_TOKEN_REVOKED: false,
  // A code challenge is not read by signed-in requests.
  EMAIL_CODE_REQUESTED: false,
  EMAIL_CODE_FAILED: false,
  EMAIL_CODE_EXHAUSTED: false,
  // Only a link went out: the sign-in it leads to is LOGIN_SUCCEEDED.
  MAGIC_LINK_REQUESTED: false,
};

/** The events after which a user's cached session state is stale. */
export const USER_CHANGING_EVENTS: ReadonlySet<AuditEventType> = new Set(
  (Object.keys(CHANGES_USER) as AuditEventType[]).filter((type) => CHANGES_USER[type]),
);

/** Whether an event of this type changes what requests read about its user. */
export function changesUser(type: AuditEventType): boolean {
  return USER_CHANGING_EVENTS.has(type);
}

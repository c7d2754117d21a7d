import type { User } from "../generated/prisma/client";

/**
 * The signed-in caller, as the context builder found it in the database on this request. A
 * kernel type: the context carries it and the auth checker reads it; sessions/ produces it.
 */
export interface Viewer {
  user: User;
  sessionId: string;
  jti: string;
  tokenExpiresAt: Date;
  /** The session's last proof of identity (see RecentAuthentication). */
  authenticatedAt: Date;
  /**
   * The ADMIN acting as this user, when the session was started by impersonateUser; null for
   * the user's own sign-ins. Sensitive mutations refuse such a session, and what it does is
   * audited with the ADMIN as actor.
   */
  impersonatorId: string | null;
  /**
   * The session's active organization (setActiveOrganization) while the user is a member of it,
   * and the user's role there, read from the database with the session check; null otherwise.
   */
  organizationId: string | null;
  organizationRole: "OWNER" | "ADMIN" | "MEMBER" | null;
  /**
   * Set when the request was authenticated by a personal access token (Authorization: Bearer
   * lk_pat_...) rather than a session: its id and scopes. Such a viewer reaches only the root
   * fields its scopes allow (graphql/token-scope.ts) and never a sensitive mutation. Absent or
   * null for a session's viewer.
   */
  personalAccessToken?: PersonalAccessTokenGrant | null;
}

/** What a personal access token lets its bearer do. */
export interface PersonalAccessTokenGrant {
  id: string;
  scopes: readonly string[];
}

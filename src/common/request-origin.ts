/** Where a request came from, as the audit trail and the security notices record it. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
  /**
   * The caller's device (security-notices.ts): the lk_device cookie's value, or a new one the
   * sign-in answer sets (fromCookie false). Never written to the audit trail.
   */
  device?: { id: string; fromCookie: boolean };
  /** The request's id (its X-Request-Id), for the warnings a service logs about it. Never audited. */
  requestId?: string;
  /**
   * The ADMIN acting in the request's session (impersonateUser), set by the context builder: the
   * audit trail records them as the actor of what the session does.
   */
  impersonatorId?: string;
}

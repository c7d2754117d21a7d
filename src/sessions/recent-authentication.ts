import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { refuseImpersonation } from "../graphql/recent-auth";
import type { Viewer } from "./session.service";

/**
 * The recent-authentication rule: sensitive mutations need the session's last proof of identity
 * (sign-in or reauthenticate) to be at most REAUTH_MAX_AGE old, so a stolen access token alone
 * cannot change how the account is reached. The one check every guarded mutation goes through
 * (see graphql/recent-auth.ts); the viewer's authenticatedAt comes with the session check.
 */
export class RecentAuthentication {
  constructor(
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {}

  isRecent(viewer: Pick<Viewer, "authenticatedAt">): boolean {
    return this.clock.now().getTime() - viewer.authenticatedAt.getTime() <= this.maxAgeMs;
  }

  /**
   * Throws FORBIDDEN / REAUTHENTICATION_REQUIRED unless the viewer proved who they are lately,
   * and FORBIDDEN / IMPERSONATION in a session an ADMIN started as the user.
   */
  require(viewer: Viewer | undefined): void {
    if (!viewer) throw Errors.unauthenticated();
    refuseImpersonation(viewer);
    if (!this.isRecent(viewer)) throw Errors.reauthenticationRequired();
  }
}

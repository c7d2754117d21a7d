import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { refuseImpersonation } from "../graphql/recent-auth";
import { refusePersonalAccessToken } from "../graphql/token-scope";
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
   * FORBIDDEN / IMPERSONATION in a session an ADMIN started as the user, and FORBIDDEN /
   * PERSONAL_ACCESS_TOKEN for a request a personal access token authenticated (no session).
   */
  require(viewer: Viewer | undefined): void {
    if (!viewer) throw Errors.unauthenticated();
    refusePersonalAccessToken(viewer);
    refuseImpersonation(viewer);
    if (!this.isRecent(viewer)) throw Errors.reauthenticationRequired();
  }
}

import { Errors } from "../common/app-error";
import type { Viewer } from "../graphql/viewer";
import type { OrganizationService } from "../organizations";
import type { SessionCache } from "./session-cache";
import type { SessionRow, SessionStore } from "./session.store";

/**
 * The organization a session acts for: its later access tokens (refreshes included) carry
 * org_id and org_role while the user is a member; the role itself is read with the session
 * check on every request.
 */
export class ActiveOrganizationService {
  constructor(
    private readonly store: SessionStore,
    private readonly organizations: Pick<OrganizationService, "roleOf">,
    private readonly cache?: SessionCache,
  ) {}

  /** Sets (or, with null, clears) the viewer's session's organization; NOT_FOUND unless the user is a member. */
  async set(viewer: Viewer, organizationId: string | null): Promise<SessionRow> {
    if (organizationId !== null && !(await this.organizations.roleOf(organizationId, viewer.user.id))) {
      throw Errors.notFound("Organization not found");
    }
    const row = await this.store.setActiveOrganization(viewer.sessionId, organizationId);
    this.cache?.invalidateSession(viewer.sessionId);
    return row;
  }

  /**
   * The organization the user's session acts for and the user's role there now, read from the
   * database (the OpenID Provider's org_id and org_role claims); null once the user is no
   * longer a member, or when the session has none.
   */
  async current(sessionId: string, userId: string): Promise<{ id: string; role: string } | null> {
    const organizationId = await this.store.activeOrganizationIdOf(sessionId, userId);
    if (!organizationId) return null;
    const role = await this.organizations.roleOf(organizationId, userId);
    return role ? { id: organizationId, role } : null;
  }
}

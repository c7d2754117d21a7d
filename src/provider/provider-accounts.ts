import type { Prisma } from "../generated/prisma/client";
import type { ProviderAccount } from "../accounts";

/**
 * The same read as `read`, as one column of another statement: the token endpoint reads the
 * account with the token it refreshes or exchanges (oidc-adapter.ts). `column` is a subquery
 * giving one value for the live account whose id the expression names; `parse` turns that value
 * into the row (null: no live account).
 */
export interface AccountReadAlong {
  column(accountId: Prisma.Sql): Prisma.Sql;
  parse(value: unknown): ProviderAccountRow | null;
}

/** What the provider reads about an account (accounts' store, wired in services.ts). */
export interface ProviderAccountSource {
  /** The live (not deleted) account, with its profile name; null when there is none. */
  read(userId: string): Promise<ProviderAccountRow | null>;
  readAlong: AccountReadAlong;
  /**
   * The organization a Latchkey session of the user acts for and the user's role there now
   * (sessions' active organization, the membership read from the database); null when none.
   */
  organizationOf(sessionId: string, userId: string): Promise<{ id: string; role: string } | null>;
}

/** Which Latchkey session (lk_access cookie) satisfied sign-in for a provider session uid: a `LatchkeySession` row of OidcPayload. */
export interface SessionLinks {
  find(providerSessionUid: string): Promise<string | undefined>;
}

/** What the provider reads about an account (accounts' providerAccountOf). */
export type ProviderAccountRow = ProviderAccount;

export const PROVIDER_CLAIMS = {
  // org_id and org_role only when the sign-in came through a Latchkey session with an active organization.
  openid: ["sub", "org_id", "org_role"],
  profile: ["name", "preferred_username"],
  email: ["email", "email_verified"],
};

/**
 * The engine's findAccount: a deleted or disabled account is none, so its codes, refresh
 * tokens and userinfo calls are refused. `sub` is the user id. When the provider session the
 * code, refresh or access token belongs to was signed in by a Latchkey session, the claims
 * add that session's active organization (org_id, org_role) while the user is a member,
 * read when the claims are made.
 */
export function accountFinder(source: ProviderAccountSource, links: SessionLinks, isDisabledAt: (user: ProviderAccountRow, now: Date) => boolean, now: () => Date) {
  return async (ctx: { oidc?: { session?: { uid?: string } } } | undefined, sub: string, token?: { sessionUid?: string }) => {
    const user = await source.read(sub);
    if (!user || isDisabledAt(user, now())) return undefined;
    const organization = async () => {
      const uid = token ? token.sessionUid : ctx?.oidc?.session?.uid;
      const sessionId = uid ? await links.find(uid) : undefined;
      const found = sessionId ? await source.organizationOf(sessionId, user.id) : null;
      return found ? { org_id: found.id, org_role: found.role } : {};
    };
    return {
      accountId: user.id,
      claims: async () => ({
        ...(await organization()),
        sub: user.id,
        preferred_username: user.username,
        ...(user.name ? { name: user.name } : {}),
        ...(user.email ? { email: user.email, email_verified: user.emailVerified } : {}),
      }),
    };
  };
}

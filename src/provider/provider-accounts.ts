/** What the provider reads about an account (accounts' store, wired in services.ts). */
export interface ProviderAccountSource {
  /** The live (not deleted) account, with its profile name; null when there is none. */
  read(userId: string): Promise<ProviderAccountRow | null>;
}

export interface ProviderAccountRow {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  disabled: boolean;
  disabledUntil: Date | null;
}

export const PROVIDER_CLAIMS = {
  openid: ["sub"],
  profile: ["name", "preferred_username"],
  email: ["email", "email_verified"],
};

/**
 * The engine's findAccount: a deleted or disabled account is none, so its codes, refresh
 * tokens and userinfo calls are refused. `sub` is the user id.
 */
export function accountFinder(source: ProviderAccountSource, isDisabledAt: (user: ProviderAccountRow, now: Date) => boolean, now: () => Date) {
  return async (_ctx: unknown, sub: string) => {
    const user = await source.read(sub);
    if (!user || isDisabledAt(user, now())) return undefined;
    return {
      accountId: user.id,
      claims: async () => ({
        sub: user.id,
        preferred_username: user.username,
        ...(user.name ? { name: user.name } : {}),
        ...(user.email ? { email: user.email, email_verified: user.emailVerified } : {}),
      }),
    };
  };
}

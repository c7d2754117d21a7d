import type { User } from "../generated/prisma/client";
import type { AccountService, RegisterInputData } from "../accounts";
import type { AuditOrigin } from "../audit";
import type { AuthPayloadData } from "../sessions";
import type { SignInService } from "./sign-in.service";

export interface RegistrationInputData extends RegisterInputData {
  /** Also sign the new account in (register's signIn). */
  signIn?: boolean | null;
  expiresInMinutes?: number | null;
}

/**
 * Sign-up that may also sign in. The password is hashed once, for the account, and not checked
 * again: whoever just chose it proved it. The session is started in the sign-up's own
 * transaction, so a sign-up that asked to sign in either answers with both the account and its
 * session or makes neither (the caller can simply try again, the username is not taken by a
 * half-finished sign-up). A new account has no second factor, so no challenge can be due.
 */
export class RegistrationService {
  constructor(
    private readonly accounts: AccountService,
    private readonly signIn: SignInService,
  ) {}

  async register(input: RegistrationInputData, origin: AuditOrigin): Promise<{ user: User; auth: AuthPayloadData | null }> {
    if (input.signIn !== true) return { user: await this.accounts.register(input, origin), auth: null };
    // Checked before anything is written: a lifetime out of bounds makes no account.
    const lifetimeSeconds = this.signIn.accessLifetimeSeconds(input.expiresInMinutes);
    let signedIn: { payload: AuthPayloadData; committed: () => void } | undefined;
    await this.accounts.register(input, origin, {
      finish: async (tx, user) => {
        signedIn = await this.signIn.completeSignInWithin(tx, user.id, lifetimeSeconds, origin, { method: "PASSWORD", auditMetadata: { registered: true } });
      },
    });
    signedIn!.committed();
    // The account as the sign-in left it (lastLoginAt, lastSignInMethod).
    return { user: signedIn!.payload.user, auth: signedIn!.payload };
  }
}

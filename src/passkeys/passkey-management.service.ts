import type { Prisma, PrismaClient, WebAuthnCredential } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { LAST_SIGN_IN_METHOD, type SignInMethods } from "../accounts";
import type { PasskeyStore } from "./passkey.store";
import type { Viewer } from "../sessions";
import { passkeyName } from "./relying-party";

const notFound = () => Errors.notFound("No such passkey");

/** Ends the sessions a passkey started, in the caller's transaction (sessions' revocation, passed in). */
export interface PasskeySessions {
  revokeStartedByPasskey(
    tx: Prisma.TransactionClient,
    userId: string,
    passkeyId: string,
    reason: string,
    current?: { sessionId: string; jti: string; expiresAt: Date },
  ): Promise<number>;
}

/** Takes the account's row lock for the rest of the transaction (accounts' lock, passed in). */
export type LockUser = (tx: Prisma.TransactionClient, userId: string) => Promise<unknown>;

/** A user's own passkeys: list, rename, remove (never the account's last way to sign in). */
export class PasskeyManagementService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: PasskeyStore,
    private readonly sessions: PasskeySessions,
    private readonly audit: AuditService,
    /** Provider ids in OIDC_PROVIDERS: a link to a provider no longer configured is no way in. */
    private readonly configuredProviders: ReadonlySet<string>,
    private readonly waysIn: SignInMethods,
    private readonly lockUser: LockUser,
  ) {}

  list(userId: string): Promise<WebAuthnCredential[]> {
    return this.store.listForUser(userId);
  }

  async rename(userId: string, id: string, name: string, origin: AuditOrigin): Promise<WebAuthnCredential> {
    const label = passkeyName(name, true);
    return this.prisma.$transaction(async (tx) => {
      const passkey = await this.store.findOwned(tx, userId, id);
      if (!passkey) throw notFound();
      const renamed = await this.store.rename(tx, id, label);
      await this.audit.record({ type: AuditEventType.PASSKEY_RENAMED, userId, origin, metadata: { passkeyId: id, name: label } }, tx);
      return renamed;
    });
  }

  /**
   * Removes a passkey and, in the same transaction, ends the sessions it started (the caller's
   * own too, with its access token, when the caller signed in with it).
   */
  async remove(viewer: Viewer, id: string, origin: AuditOrigin): Promise<void> {
    const userId = viewer.user.id;
    await this.prisma.$transaction(async (tx) => {
      // Two removals at once must not both see the other way in and take both.
      await this.lockUser(tx, userId);
      const passkey = await this.store.findOwned(tx, userId, id);
      if (!passkey) throw notFound();
      if ((await this.waysIn.remaining(tx, userId, this.configuredProviders, { passkeyId: id })) === 0) {
        throw Errors.forbidden(
          "This passkey is the account's only way to sign in: set a password (password reset), add another passkey or link a provider first",
          { reason: LAST_SIGN_IN_METHOD },
        );
      }
      const revokedSessions = await this.sessions.revokeStartedByPasskey(tx, userId, id, AuditEventType.PASSKEY_REMOVED, {
        sessionId: viewer.sessionId,
        jti: viewer.jti,
        expiresAt: viewer.tokenExpiresAt,
      });
      await this.store.delete(tx, id);
      await this.audit.record(
        { type: AuditEventType.PASSKEY_REMOVED, userId, origin, metadata: { passkeyId: id, name: passkey.name, revokedSessions } },
        tx,
      );
    });
  }
}

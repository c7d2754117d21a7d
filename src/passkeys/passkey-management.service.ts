import type { PrismaClient, WebAuthnCredential } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit/audit.service";
import { LAST_SIGN_IN_METHOD, remainingSignInMethods } from "../accounts/sign-in-methods";
import type { PasskeyStore } from "./passkey-store";
import type { SessionService, Viewer } from "../sessions/session.service";
import { passkeyName } from "./relying-party";

const notFound = () => Errors.notFound("No such passkey");

/** A user's own passkeys: list, rename, remove (never the account's last way to sign in). */
export class PasskeyManagementService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: PasskeyStore,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    /** Provider ids in OIDC_PROVIDERS: a link to a provider no longer configured is no way in. */
    private readonly configuredProviders: ReadonlySet<string>,
  ) {}

  list(userId: string): Promise<WebAuthnCredential[]> {
    return this.store.listForUser(userId);
  }

  async rename(userId: string, id: string, name: string, origin: AuditOrigin): Promise<WebAuthnCredential> {
    const label = passkeyName(name, true);
    return this.prisma.$transaction(async (tx) => {
      const passkey = await tx.webAuthnCredential.findFirst({ where: { id, userId } });
      if (!passkey) throw notFound();
      const renamed = await tx.webAuthnCredential.update({ where: { id }, data: { name: label } });
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
      await tx.$executeRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
      const passkey = await tx.webAuthnCredential.findFirst({ where: { id, userId }, select: { id: true, name: true } });
      if (!passkey) throw notFound();
      if ((await remainingSignInMethods(tx, userId, this.configuredProviders, { passkeyId: id })) === 0) {
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
      await tx.webAuthnCredential.delete({ where: { id } });
      await this.audit.record(
        { type: AuditEventType.PASSKEY_REMOVED, userId, origin, metadata: { passkeyId: id, name: passkey.name, revokedSessions } },
        tx,
      );
    });
  }
}

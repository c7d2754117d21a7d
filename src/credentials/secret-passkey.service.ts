import type { PrismaClient, User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { CredentialService } from "./credential.service";

/** setSecretPasskey: a new offline recovery secret, under the password rules, stored hashed. */
export class SecretPasskeyService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly credentials: CredentialService,
    private readonly audit: AuditService,
  ) {}

  async set(user: Pick<User, "id" | "username" | "email">, secretPasskey: string, origin: AuditOrigin): Promise<void> {
    this.credentials.assertSecretPasskey(secretPasskey, { username: user.username, email: user.email });
    // The password is known only as a hash here: one compare tells whether they are the same.
    const password = await this.credentials.currentHash(user.id, "PASSWORD");
    if (password && (await this.credentials.verify(secretPasskey, password.hash))) {
      throw Errors.badInput("secretPasskey", "Secret passkey must differ from the password");
    }
    const hash = await this.credentials.hash(secretPasskey);
    await this.prisma.$transaction(async (tx) => {
      await this.credentials.storeNewSecretPasskey(tx, user.id, hash);
      await this.audit.record({ type: AuditEventType.SECRET_PASSKEY_CHANGED, userId: user.id, origin }, tx);
    });
  }
}

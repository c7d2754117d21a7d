import type { Readable } from "node:stream";
import type { Prisma, PrismaClient, User } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { AvatarStorage } from "./avatar-storage";
import { normalizeAvatar } from "./avatar.image";
import { readAvatarUpload } from "./avatar.upload";
import { lockLiveUser } from "./user-lock";
import type { UserStore } from "./user.store";

/**
 * Avatars: checked by content, re-encoded, stored (AVATAR_STORAGE) as DATA_DIR/avatars/<userId>.png
 * or .jpg, or as the user's AvatarImage row.
 *
 * The stored bytes change while the user row is locked, as the last step before commit, so two
 * uploads of one account never leave two images behind. With files, only a failing COMMIT itself
 * could leave the file and the row disagreeing (the next upload or removal puts them right); the
 * database storage commits or rolls back with the row.
 */
export class AvatarService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly users: UserStore,
    private readonly storage: AvatarStorage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly maxBytes: number,
    /** Largest canvas (width x height) decoded; larger images are refused from their header. */
    private readonly maxPixels: number,
  ) {}

  /** `open` gives the uploaded file's bytes (graphql-upload's createReadStream). */
  async upload(userId: string, open: () => Readable, origin: AuditOrigin): Promise<User> {
    const { bytes, format } = await readAvatarUpload(open, this.maxBytes);
    const image = await normalizeAvatar(bytes, format, this.maxPixels);
    const staged = await this.storage.stage(image.data);
    try {
      return await this.prisma.$transaction(async (tx) => {
        await lockLiveUser(tx, userId);
        const user = await this.users.setAvatar(tx, userId, format, this.clock.now());
        await this.audit.record(
          { type: AuditEventType.AVATAR_CHANGED, userId, origin, metadata: { action: "uploaded", format, width: image.width, height: image.height } },
          tx,
        );
        await staged.install(tx, userId, format);
        return user;
      });
    } finally {
      await staged.discard();
    }
  }

  /** Deletes the avatar; its URL then answers 404. */
  async remove(userId: string, origin: AuditOrigin): Promise<User> {
    return this.prisma.$transaction(async (tx) => {
      const current = await lockLiveUser(tx, userId);
      if (!current.avatarExt) {
        await this.storage.remove(tx, userId);
        return current;
      }
      const user = await this.users.setAvatar(tx, userId, null, this.clock.now());
      await this.audit.record({ type: AuditEventType.AVATAR_CHANGED, userId, origin, metadata: { action: "removed" } }, tx);
      await this.storage.remove(tx, userId);
      return user;
    });
  }

  /** Removes the avatar of an account being deleted: the last step of its deletion's transaction. */
  removeForDeletedAccount(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    return this.storage.remove(tx, userId);
  }
}

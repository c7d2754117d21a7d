import type { Readable } from "node:stream";
import type { PrismaClient, User } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { AvatarFiles } from "./avatar-files";
import { normalizeAvatar } from "./avatar.image";
import { readAvatarUpload } from "./avatar.upload";
import { lockLiveUser } from "./user-lock";
import type { UserStore } from "./user.store";

/**
 * Avatars: checked by content, re-encoded, stored as DATA_DIR/avatars/<userId>.png or .jpg.
 *
 * The file changes happen while the user row is locked, as the last step before commit, so two
 * uploads of one account never leave two files behind. Only a failing COMMIT itself could leave
 * the file and the row disagreeing; the next upload or removal puts them right.
 */
export class AvatarService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly users: UserStore,
    private readonly files: AvatarFiles,
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
    const temp = await this.files.writeTemp(image.data);
    try {
      return await this.prisma.$transaction(async (tx) => {
        await lockLiveUser(tx, userId);
        const user = await this.users.setAvatar(tx, userId, format, this.clock.now());
        await this.audit.record(
          { type: AuditEventType.AVATAR_CHANGED, userId, origin, metadata: { action: "uploaded", format, width: image.width, height: image.height } },
          tx,
        );
        await this.files.install(temp, userId, format);
        return user;
      });
    } finally {
      await this.files.discard(temp);
    }
  }

  /** Deletes the avatar; its URL then answers 404. */
  async remove(userId: string, origin: AuditOrigin): Promise<User> {
    return this.prisma.$transaction(async (tx) => {
      const current = await lockLiveUser(tx, userId);
      if (!current.avatarExt) {
        await this.files.remove(userId);
        return current;
      }
      const user = await this.users.setAvatar(tx, userId, null, this.clock.now());
      await this.audit.record({ type: AuditEventType.AVATAR_CHANGED, userId, origin, metadata: { action: "removed" } }, tx);
      await this.files.remove(userId);
      return user;
    });
  }

  /** Removes the files of an account that is gone (after its deletion committed). */
  removeFiles(userId: string): Promise<void> {
    return this.files.remove(userId);
  }
}

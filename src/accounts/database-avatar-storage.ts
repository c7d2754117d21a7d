import type { Prisma } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { AvatarFormat } from "./avatar.image";
import type { AvatarImageStore } from "./avatar-image.store";
import { avatarHash, type AvatarContent, type AvatarStorage, type StagedAvatar } from "./avatar-storage";

/**
 * AVATAR_STORAGE=database: the re-encoded image in the AvatarImage table, so every host behind a
 * load balancer serves the same avatar without a shared disk. The row is written in the
 * transaction that records the avatar on the user row: both change together or not at all.
 */
export class DatabaseAvatarStorage implements AvatarStorage {
  constructor(
    private readonly store: AvatarImageStore,
    private readonly clock: Clock,
  ) {}

  async stage(data: Buffer): Promise<StagedAvatar> {
    const hash = avatarHash(data);
    return {
      install: (tx, userId, format) => this.store.put(tx, { userId, format, bytes: new Uint8Array(data), hash, updatedAt: this.clock.now() }),
      // Nothing outside the transaction to undo: a rolled-back row was never there.
      discard: async () => {},
    };
  }

  remove(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    return this.store.remove(tx, userId);
  }

  async read(userId: string, format: AvatarFormat, cached: readonly string[]): Promise<AvatarContent | undefined> {
    const row = await this.store.read(userId, format, cached);
    if (!row) return undefined;
    return { hash: row.hash, data: row.bytes ? Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : null };
  }

  /** No temporary state exists; only rows left by time spent on the filesystem storage. */
  removeLeftovers(): Promise<number> {
    return this.store.sweepUnnamed();
  }
}

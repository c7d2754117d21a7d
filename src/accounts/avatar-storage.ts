import { createHash } from "node:crypto";
import type { Prisma } from "../generated/prisma/client";
import type { AvatarFormat } from "./avatar.image";

/**
 * Where uploaded avatars' re-encoded bytes live (AVATAR_STORAGE): DATA_DIR/avatars on this host
 * (AvatarFiles) or a table every host reads (DatabaseAvatarStorage). An object store would be a
 * third implementation: stage uploads the object, install points the user at it.
 *
 * The user row records which format the avatar has (User.avatarExt); every change of the bytes
 * happens inside the transaction that changes that record, as its last step.
 */
export interface AvatarStorage {
  /**
   * Readies the bytes before the transaction (a file written and flushed, a hash computed), so the
   * slow part does not hold the user's row lock. Nothing is served until install.
   */
  stage(data: Buffer): Promise<StagedAvatar>;
  /** Removes the user's avatar in every format, inside the caller's transaction. */
  remove(tx: Prisma.TransactionClient, userId: string): Promise<void>;
  /**
   * The user's avatar in that format, or undefined. `cached` are the entity tags the client
   * already holds (If-None-Match): when one matches, `data` is null and need not be loaded.
   */
  read(userId: string, format: AvatarFormat, cached: readonly string[]): Promise<AvatarContent | undefined>;
  /** Clears what interrupted uploads or removed accounts left behind; returns how many went. */
  removeLeftovers(): Promise<number>;
}

export interface StagedAvatar {
  /** Makes the staged bytes the user's avatar, replacing any other format: inside the transaction. */
  install(tx: Prisma.TransactionClient, userId: string, format: AvatarFormat): Promise<void>;
  /** After the transaction, committed or not: drops whatever was not installed. */
  discard(): Promise<void>;
}

export interface AvatarContent {
  /** The content hash: the avatar's strong entity tag (unquoted). */
  hash: string;
  /** The bytes, or null when the client's copy is current (one of `cached` matched). */
  data: Buffer | null;
}

/** SHA-256 of the bytes, base64url: the same tag for the same image on every host and storage. */
export function avatarHash(data: Buffer): string {
  return createHash("sha256").update(data).digest("base64url");
}

/** Whether a client holding `cached` (If-None-Match tags, or "*") has this content already. */
export function isCached(hash: string, cached: readonly string[]): boolean {
  return cached.includes(hash) || cached.includes("*");
}

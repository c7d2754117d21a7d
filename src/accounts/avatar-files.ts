import { chmod, mkdir, open, readFile, readdir, rename, rm, stat } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { AvatarFormat } from "./avatar.image";
import { avatarHash, isCached, type AvatarContent, type AvatarStorage, type StagedAvatar } from "./avatar-storage";

const FORMATS: AvatarFormat[] = ["png", "jpg"];
/** Temporary upload files; a process killed mid-upload leaves them behind. */
const TEMP_FILE_NAME = /^\.upload-[0-9a-f]{16}\.tmp$/;
/** Older than this, a temporary file belongs to no upload in progress (in any process). */
export const STALE_TEMP_MS = 10 * 60_000;
/** Files whose hash read() keeps at most. */
const HASH_MEMO_LIMIT = 10_000;
/** The only names ever written or served: <user id>.png or <user id>.jpg. */
export const AVATAR_FILE_NAME = /^[0-9a-f-]{36}\.(png|jpg)$/;

/**
 * AVATAR_STORAGE=filesystem: the avatar folder, DATA_DIR/avatars, one file per user, replaced
 * atomically. Only this host sees it.
 */
export class AvatarFiles implements AvatarStorage {
  private ready?: Promise<unknown>;

  /** Content hashes of files served lately, by path: see read(). */
  private readonly hashes = new Map<string, { identity: string; hash: string }>();

  constructor(readonly dir: string) {}

  private ensureDir(): Promise<unknown> {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => chmod(this.dir, 0o700));
    return this.ready;
  }

  fileName(userId: string, format: AvatarFormat): string {
    const name = `${userId}.${format}`;
    if (!AVATAR_FILE_NAME.test(name)) throw new Error("not a user id");
    return name;
  }

  /**
   * Writes the bytes to a temporary file in the avatar folder (same file system, so the final
   * rename is atomic) and flushes it to disk. Its name never matches AVATAR_FILE_NAME.
   */
  async writeTemp(data: Buffer): Promise<string> {
    await this.ensureDir();
    const temp = path.join(this.dir, `.upload-${randomBytes(8).toString("hex")}.tmp`);
    // Owner-only, as everything in DATA_DIR: this process serves the files itself.
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    return temp;
  }

  /** A flushed temporary file; installing it is a rename, which the transaction cannot undo. */
  async stage(data: Buffer): Promise<StagedAvatar> {
    const temp = await this.writeTemp(data);
    return {
      install: (_tx, userId, format) => this.install(temp, userId, format),
      discard: () => this.discard(temp),
    };
  }

  /** Moves a temporary file into place as the user's avatar and removes the other format's file. */
  async install(temp: string, userId: string, format: AvatarFormat): Promise<void> {
    await rename(temp, path.join(this.dir, this.fileName(userId, format)));
    await this.removeFiles(userId, format);
  }

  /** The files go at once: a failing COMMIT after this leaves the row naming a missing file. */
  remove(_tx: unknown, userId: string): Promise<void> {
    return this.removeFiles(userId);
  }

  /** Removes the user's avatar files, all formats, or all but `keep`. */
  async removeFiles(userId: string, keep?: AvatarFormat): Promise<void> {
    await Promise.all(
      FORMATS.filter((format) => format !== keep).map((format) => rm(path.join(this.dir, this.fileName(userId, format)), { force: true })),
    );
  }

  /**
   * The file's content hash, so the tag is the same strong one the database storage gives,
   * whatever the file's mtime on this host. A file is never changed in place (an upload renames a
   * new one over it), so its hash is kept by inode, size and mtime: a revalidation that matches
   * costs a stat, not a read and a hash.
   */
  async read(userId: string, format: AvatarFormat, cached: readonly string[]): Promise<AvatarContent | undefined> {
    const file = path.join(this.dir, this.fileName(userId, format));
    let data: Buffer;
    let identity: string;
    try {
      const info = await stat(file);
      identity = `${info.ino}:${info.size}:${info.mtimeMs}`;
      const memo = this.hashes.get(file);
      if (memo?.identity === identity && isCached(memo.hash, cached)) return { hash: memo.hash, data: null };
      data = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    // Hashed from the bytes sent, never taken from the memo: the file may have been replaced
    // between the stat and the read.
    const hash = avatarHash(data);
    // Bounded: past the limit the memo starts again rather than growing with every user.
    if (this.hashes.size >= HASH_MEMO_LIMIT) this.hashes.clear();
    this.hashes.set(file, { identity, hash });
    return { hash, data: isCached(hash, cached) ? null : data };
  }

  removeLeftovers(): Promise<number> {
    return this.removeStaleTemps();
  }

  async discard(temp: string): Promise<void> {
    await rm(temp, { force: true });
  }

  /**
   * Deletes temporary files left by a process that died mid-upload (they are never served:
   * their names do not match AVATAR_FILE_NAME). Only old ones, since other processes sharing
   * the folder may be writing theirs right now. Returns how many were removed.
   */
  async removeStaleTemps(now = Date.now()): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names.filter((n) => TEMP_FILE_NAME.test(n))) {
      const file = path.join(this.dir, name);
      const info = await stat(file).catch(() => undefined);
      if (!info || now - info.mtimeMs < STALE_TEMP_MS) continue;
      await rm(file, { force: true });
      removed++;
    }
    return removed;
  }
}

import { chmodSync, mkdirSync } from "node:fs";
import { chmod, lstat, readdir } from "node:fs/promises";
import path from "node:path";

/** Owner-only modes for everything in DATA_DIR: the database, avatars, the generated secret. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Files and folders this process creates are owner-only: PostgreSQL's embedded build (PGlite)
 * creates its folders with the process's umask. Not possible in a worker thread; harmless twice.
 */
export function restrictUmask(): void {
  try {
    process.umask(0o077);
  } catch {
    // worker threads cannot change it; the sweeps below still apply
  }
}

/** Creates the folder when missing and makes it owner-only. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Takes group and other permissions off every file and folder below `root` (symbolic links are
 * left alone). PGlite sets 0666 on every file it creates whatever the umask, so this runs after
 * it opens, at every maintenance run and when it closes; meanwhile its new files sit in
 * owner-only folders, which no other user can enter. Returns how many entries it changed.
 */
export async function restrictTree(root: string): Promise<number> {
  let changed = 0;
  const visit = async (entry: string): Promise<void> => {
    const info = await lstat(entry).catch(() => undefined);
    if (!info || info.isSymbolicLink()) return;
    if (info.isDirectory()) {
      if ((info.mode & 0o777) !== PRIVATE_DIR_MODE) {
        await chmod(entry, PRIVATE_DIR_MODE).catch(() => undefined);
        changed++;
      }
      const names = await readdir(entry).catch(() => [] as string[]);
      for (const name of names) await visit(path.join(entry, name));
      return;
    }
    if (info.isFile() && (info.mode & 0o077) !== 0) {
      await chmod(entry, (info.mode & 0o700) | PRIVATE_FILE_MODE).catch(() => undefined);
      changed++;
    }
  };
  await visit(root);
  return changed;
}

/** What Latchkey keeps in DATA_DIR; only these are swept (DATA_DIR may hold other things). */
export const DATA_DIR_ENTRIES = ["pglite", "avatars", "mail", "app-secret"];

/** restrictTree over Latchkey's own entries in DATA_DIR. */
export async function restrictDataDirEntries(dataDir: string): Promise<number> {
  let changed = 0;
  for (const name of DATA_DIR_ENTRIES) changed += await restrictTree(path.join(dataDir, name));
  return changed;
}

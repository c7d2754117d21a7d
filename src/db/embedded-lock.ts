import { chmodSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { lock } from "proper-lockfile";

/**
 * PGlite has no lock of its own: two processes that open one data folder each write their own
 * view of it and one loses its changes (an operator command run beside the server reported
 * success and its change was gone). The process that opens the folder holds this lock until it
 * closes it.
 *
 * The lock is a folder `<data folder>.lock` (proper-lockfile: mkdir is atomic), its mtime renewed
 * every LOCK_UPDATE_MS. Beside it, `<data folder>.lock.json` names the holder's pid and host, so a
 * refusal can say who holds it, and a lock left by a process that died on this host (SIGKILL,
 * power cut, a container restarted with the same hostname) is taken over at once.
 */

/**
 * A lock not renewed for this long is stale and anyone may take it. PGlite runs its queries on
 * the holder's main thread, so a long statement (an index build in a migration) delays renewals:
 * 30 s leaves room for that, and is also the longest a crashed holder on another host (a shared
 * volume, a recreated container) keeps the folder from being opened.
 */
export const LOCK_STALE_MS = 30_000;
/** Renewing every 5 s means six renewals must be missed before the lock can go stale. */
export const LOCK_UPDATE_MS = 5_000;

interface Holder {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** The lock folder this record belongs to: a record left by an earlier holder never describes a newer lock. */
  lockId: string;
}

/** Refusal to open an embedded database another process has open; its message is one line for the operator. */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder?: Pick<Holder, "pid" | "host" | "command">,
  ) {
    super(inUseMessage(dataDir, holder));
    this.name = "EmbeddedDatabaseInUseError";
  }
}

function inUseMessage(dataDir: string, holder?: Pick<Holder, "pid" | "host" | "command">): string {
  const here = holder?.host === hostname();
  const server = holder ? /^main\.[jt]s$/.test(holder.command) : false;
  const who = !holder
    ? "another process"
    : `${server ? "a Latchkey server" : `another Latchkey command (${holder.command})`} (pid ${holder.pid}${here ? "" : ` on host ${holder.host}`})`;
  // Only a holder this host can see alive is surely there; otherwise the lock may be a dead one's.
  const expiry = here ? "" : ` If it is no longer running, its lock expires ${LOCK_STALE_MS / 1000} s after it stopped.`;
  return (
    `DATA_DIR ${dataDir} is in use: ${who} has its embedded database open. ` +
    `Stop ${server ? "the server" : "it"} first, or set DATABASE_URL to use PostgreSQL.${expiry}`
  );
}

/** Lock folders this process holds: a record with our own pid is then really ours, not a previous life's. */
const heldHere = new Set<string>();

function lockIdOf(lockPath: string): string | undefined {
  try {
    const info = statSync(lockPath);
    // inode plus birth time: an inode number alone may be reused by the next lock folder.
    return `${info.ino}:${info.birthtimeMs}`;
  } catch {
    return undefined;
  }
}

function readHolder(recordPath: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(recordPath, "utf8")) as Holder;
    return Number.isInteger(holder.pid) && typeof holder.host === "string" ? holder : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number, lockPath: string): boolean {
  if (pid === process.pid) return heldHere.has(lockPath);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}

function removeDeadLock(lockPath: string): void {
  try {
    rmdirSync(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error; // gone already: fine
  }
}

export interface EmbeddedLock {
  release(): Promise<void>;
}

/**
 * Locks the PGlite data folder `folder` (DATA_DIR/pglite) or throws EmbeddedDatabaseInUseError.
 * `onLost` runs if the lock is lost while held (its folder removed, or taken after this process
 * stalled past LOCK_STALE_MS): the caller must stop using the database at once.
 */
export async function lockEmbeddedDatabase(folder: string, onLost: (error: Error) => void): Promise<EmbeddedLock> {
  const target = path.resolve(folder);
  const lockPath = `${target}.lock`;
  const recordPath = `${lockPath}.json`;
  const dataDir = path.dirname(target);
  const attempt = () =>
    lock(target, {
      lockfilePath: lockPath,
      realpath: false, // the data folder does not exist before the first start
      stale: LOCK_STALE_MS,
      update: LOCK_UPDATE_MS,
      retries: 0,
      onCompromised: (error) => {
        heldHere.delete(lockPath);
        onLost(error);
      },
    });

  // The record of the lock as it is now, if one describes it.
  const currentHolder = (): { lockId?: string; holder?: Holder } => {
    const lockId = lockIdOf(lockPath);
    const holder = readHolder(recordPath);
    return { lockId, holder: holder && lockId !== undefined && holder.lockId === lockId ? holder : undefined };
  };

  let release: () => Promise<void>;
  try {
    release = await attempt();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    const { lockId, holder } = currentHolder();
    if (!holder || holder.host !== hostname() || isAlive(holder.pid, lockPath)) throw new EmbeddedDatabaseInUseError(dataDir, holder);
    // The holder died without releasing it: remove its lock (only if it is still that one: another
    // process taking it over first has made a new one) and lock again.
    if (lockIdOf(lockPath) === lockId) removeDeadLock(lockPath);
    try {
      release = await attempt();
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== "ELOCKED") throw again;
      throw new EmbeddedDatabaseInUseError(dataDir, currentHolder().holder);
    }
  }

  heldHere.add(lockPath);
  let ownLockId: string | undefined;
  try {
    // The lock folder is created with the process's umask; DATA_DIR's entries are owner-only.
    chmodSync(lockPath, 0o700);
    ownLockId = lockIdOf(lockPath)!;
    const holder: Holder = {
      pid: process.pid,
      host: hostname(),
      command: path.basename(process.argv[1] ?? "node"),
      since: new Date().toISOString(),
      lockId: ownLockId,
    };
    const partial = `${recordPath}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(holder), { mode: 0o600 });
    renameSync(partial, recordPath);
  } catch (error) {
    heldHere.delete(lockPath);
    await release().catch(() => undefined);
    throw error;
  }

  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      heldHere.delete(lockPath);
      // Only our own record: after a lost lock, the record may be the new holder's.
      if (readHolder(recordPath)?.lockId === ownLockId) {
        try {
          unlinkSync(recordPath);
        } catch {
          // already gone
        }
      }
      // Rejects when the lock was lost meanwhile (onLost has run): nothing left to release.
      await release().catch(() => undefined);
    },
  };
}

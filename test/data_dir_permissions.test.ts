import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser } from "./support/accounts";
import { makeImage, uploadAvatar } from "./support/uploads";

/** Every entry below `root` (root included) with its permission bits. */
function modes(root: string): Array<{ entry: string; dir: boolean; mode: number }> {
  const found: Array<{ entry: string; dir: boolean; mode: number }> = [];
  const visit = (entry: string) => {
    const info = lstatSync(entry);
    found.push({ entry: path.relative(root, entry) || ".", dir: info.isDirectory(), mode: info.mode & 0o777 });
    if (info.isDirectory()) for (const name of readdirSync(entry)) visit(path.join(entry, name));
  };
  visit(root);
  return found;
}
const open = (entries: ReturnType<typeof modes>) =>
  entries.filter((e) => (e.dir ? e.mode !== 0o700 : (e.mode & 0o077) !== 0)).map((e) => `${e.entry} ${e.mode.toString(8)}`);

// The embedded database's files were 0666: any local user could read every password hash and
// session, or write the database. Everything in DATA_DIR is owner-only now.
describe.each(testDatabases)("DATA_DIR permissions on %s", (kind) => {
  let server: TestServer;
  let dataDir: string;
  let previousUmask: number;
  beforeAll(async () => {
    previousUmask = process.umask(0o000); // the worst case: the caller masks nothing
    dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-perm-"));
    chmodSync(dataDir, 0o777);
    // Left by an older version: an open avatar folder and file, a mail folder.
    mkdirSync(path.join(dataDir, "avatars"), { mode: 0o777 });
    writeFileSync(path.join(dataDir, "avatars", "00000000-0000-0000-0000-000000000000.png"), "x", { mode: 0o666 });
    mkdirSync(path.join(dataDir, "mail"), { mode: 0o755 });
    writeFileSync(path.join(dataDir, "mail", "old.eml"), "x", { mode: 0o644 });
    server = await startTestServer(kind, {
      dataDir,
      // On disk, as in production (not the suites' in-memory copy).
      pgliteDataDir: kind === "pglite" ? path.join(dataDir, "pglite") : undefined,
      // Generated into DATA_DIR, as outside production without APP_SECRET.
      env: { APP_SECRET: "" },
    });
    // Creating a database on disk is slow on a busy machine.
  }, 180_000);
  afterAll(async () => {
    process.umask(previousUmask);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("leaves every folder 0700 and every file 0600 after start", () => {
    const entries = modes(dataDir);
    expect(entries.map((e) => e.entry)).toEqual(expect.arrayContaining([".", "app-secret", "avatars", "mail/old.eml"]));
    if (kind === "pglite") expect(entries.filter((e) => e.entry.startsWith("pglite")).length).toBeGreaterThan(100);
    expect(open(entries)).toEqual([]);
  });

  it("writes avatars owner-only, in an owner-only tree", async () => {
    const user = await registerUser(server);
    const { accessToken } = await login(server, user.username);
    const { body } = await uploadAvatar(server, accessToken, await makeImage("png"));
    expect(body.errors).toBeUndefined();
    const avatar = path.join(dataDir, "avatars", `${user.id}.png`);
    expect(lstatSync(avatar).mode & 0o777).toBe(0o600);
    const entries = modes(dataDir);
    // No folder another user could enter, so no file they could reach; every file of ours 0600.
    expect(entries.filter((e) => e.dir && e.mode !== 0o700)).toEqual([]);
    expect(open(entries.filter((e) => !e.entry.startsWith("pglite")))).toEqual([]);
  });

  it("leaves every file 0600 once stopped", async () => {
    await server.stop();
    expect(open(modes(dataDir))).toEqual([]);
  });
});

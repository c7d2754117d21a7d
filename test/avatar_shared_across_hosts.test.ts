import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPostgresDatabase } from "./support/databases";
import { startServerProcess, type ServerProcess } from "./support/server-process";
import { START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { LOGIN, REGISTER, SECRET_PASSKEY, STRONG_PASSWORD, uniqueName } from "./support/accounts";
import { postGraphQL } from "./support/process-client";
import { avatarPath, makeImage, uploadAvatar } from "./support/uploads";

/**
 * Two hosts behind a load balancer: two server processes on one PostgreSQL database, each with
 * its own DATA_DIR (no shared disk). With AVATAR_STORAGE=database an avatar uploaded through one
 * is served, byte for byte and with the same ETag, by the other, and removed for both.
 */
describe("avatars shared by two hosts without a shared disk", () => {
  const dataDirs = [0, 1].map((n) => mkdtempSync(path.join(tmpdir(), `latchkey-host${n}-`)));
  let database: { url: string; drop: () => Promise<void> };
  const hosts: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const shared = { DATABASE_URL: database.url, APP_SECRET: "two-hosts-secret-".repeat(3), AVATAR_STORAGE: "database", PUBLIC_URL: "http://localhost:4000" };
    // One after the other, so the first applies the migrations.
    for (const dataDir of dataDirs) hosts.push(await startServerProcess({ ...shared, DATA_DIR: dataDir }, { startTimeoutMs: 90_000 }));
  }, 2 * START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.stop()));
    await database?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A new account registered and signed in through one host. */
  async function signUp(host: ServerProcess): Promise<string> {
    const username = uniqueName();
    const input = { username, password: STRONG_PASSWORD, secretPasskey: SECRET_PASSKEY, email: `${username}@example.com` };
    expect((await postGraphQL(host.url, REGISTER, { input })).body.errors).toBeUndefined();
    const { body } = await postGraphQL(host.url, LOGIN, { input: { identifier: username, password: STRONG_PASSWORD } });
    return body.data.login.accessToken;
  }
  // uploadAvatar only needs where the host listens.
  const uploadTo = (host: ServerProcess, token: string, image: Buffer) => uploadAvatar({ url: host.url } as TestServer, token, image);

  it("serves an avatar uploaded through one host from the other, and both see its removal", async () => {
    const [first, second] = hosts;
    const token = await signUp(first);
    const { body } = await uploadTo(first, token, await makeImage("png", 80, 60));
    expect(body.errors).toBeUndefined();
    const url = avatarPath(body.data.uploadAvatar.avatarUrl);

    const fromFirst = await fetch(`${first.url}${url}`);
    const fromSecond = await fetch(`${second.url}${url}`);
    expect([fromFirst.status, fromSecond.status]).toEqual([200, 200]);
    expect(fromSecond.headers.get("content-type")).toBe("image/png");
    const etag = fromFirst.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(fromSecond.headers.get("etag")).toBe(etag);
    expect(Buffer.from(await fromSecond.arrayBuffer()).equals(Buffer.from(await fromFirst.arrayBuffer()))).toBe(true);

    // A browser revalidating its copy against whichever host the balancer picks gets 304.
    const revalidated = await fetch(`${second.url}${url}`, { headers: { "if-none-match": etag! } });
    expect(revalidated.status).toBe(304);

    // The token signed by one host works on the other (same APP_SECRET, one database).
    const removed = await postGraphQL(second.url, `mutation { removeAvatar { avatarUrl } }`, {}, token);
    expect(removed.body).toEqual({ data: { removeAvatar: { avatarUrl: null } } });
    expect((await fetch(`${first.url}${url}`)).status).toBe(404);
    expect((await fetch(`${second.url}${url}`)).status).toBe(404);
  });
});

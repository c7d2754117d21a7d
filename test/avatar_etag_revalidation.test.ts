import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerSignedInUser } from "./support/accounts";
import { avatarPath, makeImage, uploadAvatar } from "./support/uploads";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("base64url");

// The default AVATAR_STORAGE=filesystem gives the same strong, content-derived ETag as the
// database storage (avatar_database_storage.test.ts), so a host switch never breaks revalidation.
describe.each(testDatabases)("avatar files revalidated by ETag on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  const fetchAvatar = (avatarUrl: string, headers: Record<string, string> = {}) => fetch(`${server.url}${avatarPath(avatarUrl)}`, { headers });

  it("tags the file with its SHA-256 and answers a matching If-None-Match with 304 and no body", async () => {
    const user = await registerSignedInUser(server);
    const { body } = await uploadAvatar(server, user.token, await makeImage("png"));
    const url = body.data.uploadAvatar.avatarUrl;
    const onDisk = readFileSync(path.join(server.dataDir, "avatars", `${user.id}.png`));

    const response = await fetchAvatar(url);
    expect(response.status).toBe(200);
    const etag = response.headers.get("etag");
    expect(etag).toBe(`"${sha256(onDisk)}"`);
    expect(Buffer.from(await response.arrayBuffer()).equals(onDisk)).toBe(true);

    const revalidated = await fetchAvatar(url, { "if-none-match": etag! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(etag);
    expect(revalidated.headers.get("cache-control")).toBe("public, max-age=3600");
    expect((await revalidated.arrayBuffer()).byteLength).toBe(0);

    const other = await fetchAvatar(url, { "if-none-match": `"${"B".repeat(43)}"` });
    expect(other.status).toBe(200);
    expect(other.headers.get("content-type")).toBe("image/png");
    expect(other.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
  });

  it("a replaced avatar has a new ETag, so the old tag no longer earns a 304", async () => {
    const user = await registerSignedInUser(server);
    const first = (await uploadAvatar(server, user.token, await makeImage("png"))).body.data.uploadAvatar.avatarUrl;
    const oldTag = (await fetchAvatar(first)).headers.get("etag")!;
    const second = (await uploadAvatar(server, user.token, await makeImage("png", 20, 20))).body.data.uploadAvatar.avatarUrl;

    const response = await fetchAvatar(second, { "if-none-match": oldTag });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).not.toBe(oldTag);
  });
});

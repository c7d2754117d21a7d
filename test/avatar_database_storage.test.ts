import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { startTestServer, START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerSignedInUser } from "./support/accounts";
import { avatarPath, makeImage, uploadAvatar } from "./support/uploads";

const REMOVE = /* GraphQL */ `mutation { removeAvatar { id avatarUrl } }`;
const DELETE = /* GraphQL */ `mutation Delete($password: String!) { deleteAccount(password: $password) }`;

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("base64url");

// AVATAR_STORAGE=database: the re-encoded image lives in the AvatarImage table, nothing on disk.
describe.each(testDatabases)("avatars kept in the database on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { AVATAR_STORAGE: "database" } });
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  const signedIn = () => registerSignedInUser(server);
  const fetchAvatar = (avatarUrl: string, headers: Record<string, string> = {}) => fetch(`${server.url}${avatarPath(avatarUrl)}`, { headers });
  const imageRow = (userId: string) => server.app.database.prisma.avatarImage.findUnique({ where: { userId } });
  const upload = async (token: string, image: Buffer): Promise<string> => {
    const { body } = await uploadAvatar(server, token, image);
    expect(body.errors).toBeUndefined();
    return body.data.uploadAvatar.avatarUrl;
  };

  it("stores the re-encoded image in its row, not in DATA_DIR, and serves it with a strong ETag from its hash", async () => {
    const user = await signedIn();
    const url = await upload(user.token, await makeImage("png"));
    expect(url).toMatch(new RegExp(`/avatars/${user.id}\\.png\\?v=\\d+$`));
    const avatarsDir = path.join(server.dataDir, "avatars");
    expect(existsSync(avatarsDir) ? readdirSync(avatarsDir) : []).toEqual([]);

    const row = await imageRow(user.id);
    expect(row).toMatchObject({ format: "png" });
    const stored = Buffer.from(row!.bytes);
    expect(row!.hash).toBe(sha256(stored));

    const response = await fetchAvatar(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(response.headers.get("etag")).toBe(`"${row!.hash}"`);
    const served = Buffer.from(await response.arrayBuffer());
    expect(served.equals(stored)).toBe(true);
    expect(await sharp(served).metadata()).toMatchObject({ format: "png", width: 64, height: 48 });
  });

  it("answers 304 without a body to a matching If-None-Match, and 200 to any other tag", async () => {
    const user = await signedIn();
    const url = await upload(user.token, await makeImage("jpeg"));
    const etag = (await fetchAvatar(url)).headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const revalidated = await fetchAvatar(url, { "if-none-match": ifNoneMatch });
      expect([ifNoneMatch, revalidated.status]).toEqual([ifNoneMatch, 304]);
      expect(revalidated.headers.get("etag")).toBe(etag);
      expect(revalidated.headers.get("cache-control")).toBe("public, max-age=3600");
      expect((await revalidated.arrayBuffer()).byteLength).toBe(0);
    }
    const stale = await fetchAvatar(url, { "if-none-match": `"${"A".repeat(43)}"` });
    expect(stale.status).toBe(200);
    expect(stale.headers.get("content-type")).toBe("image/jpeg");
    expect((await stale.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it("replaces the row on a new upload, in either format: the old URL answers 404, the ETag changes", async () => {
    const user = await signedIn();
    const first = await upload(user.token, await makeImage("png"));
    const firstTag = (await fetchAvatar(first)).headers.get("etag");
    const second = await upload(user.token, await makeImage("jpeg", 30, 30));

    expect((await fetchAvatar(first)).status).toBe(404);
    const response = await fetchAvatar(second);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    expect(response.headers.get("etag")).not.toBe(firstTag);
    expect(await sharp(Buffer.from(await response.arrayBuffer())).metadata()).toMatchObject({ format: "jpeg", width: 30 });
    expect(await server.app.database.prisma.avatarImage.count({ where: { userId: user.id } })).toBe(1);
    expect((await imageRow(user.id))!.format).toBe("jpg");
  });

  it("keeps the row and the user's avatar format in step when a PNG and a JPEG upload race", async () => {
    const user = await signedIn();
    const [png, jpeg] = [await makeImage("png"), await makeImage("jpeg")];
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([uploadAvatar(server, user.token, png), uploadAvatar(server, user.token, jpeg)]);
      for (const result of results) expect(result.body.errors).toBeUndefined();
      const owner = await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect((await imageRow(user.id))?.format).toBe(owner.avatarExt);
    }
  });

  it("removeAvatar deletes the row; the URL then answers 404", async () => {
    const user = await signedIn();
    const url = await upload(user.token, await makeImage("png"));
    const { body } = await server.gql(REMOVE, {}, { token: user.token });
    expect(body.data.removeAvatar).toEqual({ id: user.id, avatarUrl: null });
    expect(await imageRow(user.id)).toBeNull();
    expect((await fetchAvatar(url)).status).toBe(404);
  });

  it("deleting the account deletes the row; the URL then answers 404", async () => {
    const user = await signedIn();
    const url = await upload(user.token, await makeImage("jpeg"));
    const { body } = await server.gql(DELETE, { password: user.password }, { token: user.token });
    expect(body).toEqual({ data: { deleteAccount: true } });
    expect(await imageRow(user.id)).toBeNull();
    expect((await fetchAvatar(url)).status).toBe(404);
  });

  it("the maintenance sweep deletes rows the user row no longer names (left from time on filesystem storage)", async () => {
    const kept = await signedIn();
    const orphaned = await signedIn();
    const keptUrl = await upload(kept.token, await makeImage("png"));
    const orphanedUrl = await upload(orphaned.token, await makeImage("png"));
    // As a removal made while AVATAR_STORAGE=filesystem leaves it: the user row names no avatar.
    await server.app.database.prisma.user.update({ where: { id: orphaned.id }, data: { avatarExt: null } });

    expect(await server.app.services.avatarStorage.removeLeftovers()).toBe(1);
    expect(await imageRow(orphaned.id)).toBeNull();
    expect((await fetchAvatar(orphanedUrl)).status).toBe(404);
    expect((await fetchAvatar(keptUrl)).status).toBe(200);
    expect(await server.app.services.avatarStorage.removeLeftovers()).toBe(0);
  });

  it("answers 404 for a well-formed name without a row, and for names outside the scheme", async () => {
    for (const url of ["/avatars/0190d4f0-0000-7000-8000-000000000000.png", "/avatars/..%2Fpglite", "/avatars/app-secret"]) {
      const response = await fetch(`${server.url}${url}`);
      expect([url, response.status]).toEqual([url, 404]);
      expect((await response.arrayBuffer()).byteLength).toBe(0);
    }
  });
});

import { readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerSignedInUser } from "./support/accounts";
import { avatarPath, makeImage, uploadAvatar } from "./support/uploads";

const REMOVE = /* GraphQL */ `mutation { removeAvatar { id avatarUrl } }`;
const ME_AVATAR = /* GraphQL */ `query { me { avatarUrl } }`;

describe.each(testDatabases)("avatar upload on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.stop());

  const signedIn = () => registerSignedInUser(server);
  const avatarFiles = (userId: string) => readdirSync(path.join(server.dataDir, "avatars")).filter((name) => name.startsWith(userId));
  const fetchAvatar = (avatarUrl: string) => fetch(`${server.url}${avatarPath(avatarUrl)}`);

  it.each([
    ["png", "png", "image/png"],
    ["jpeg", "jpg", "image/jpeg"],
  ] as const)("stores a real %s as <userId>.%s and serves it back as %s", async (format, ext, contentType) => {
    const user = await signedIn();
    const { body } = await uploadAvatar(server, user.token, await makeImage(format), { filename: `me.${ext}` });
    expect(body.errors).toBeUndefined();
    expect(body.data.uploadAvatar.avatarUrl).toMatch(new RegExp(`^http://localhost:4000/avatars/${user.id}\\.${ext}\\?v=\\d+$`));
    expect(avatarFiles(user.id)).toEqual([`${user.id}.${ext}`]);

    const response = await fetchAvatar(body.data.uploadAvatar.avatarUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(contentType);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
    const served = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(served).toMatchObject({ format, width: 64, height: 48 });
  });

  it("keeps the type the bytes say, whatever the file name and declared type", async () => {
    const user = await signedIn();
    const { body } = await uploadAvatar(server, user.token, await makeImage("jpeg"), { filename: "photo.png", contentType: "image/png" });
    expect(body.data.uploadAvatar.avatarUrl).toContain(`/avatars/${user.id}.jpg?v=`);
    expect(avatarFiles(user.id)).toEqual([`${user.id}.jpg`]);
  });

  it("drops EXIF (GPS included) from a JPEG", async () => {
    const user = await signedIn();
    const original = await makeImage("jpeg", 64, 48, { exifGps: true });
    const before = await sharp(original).metadata();
    expect(before.exif?.toString("latin1")).toContain("LatchkeyCam");
    expect(before.exif!.includes(Buffer.from([0x88, 0x25])) || before.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true); // GPS IFD pointer

    const { body } = await uploadAvatar(server, user.token, original, { filename: "trip.jpg" });
    const served = Buffer.from(await (await fetchAvatar(body.data.uploadAvatar.avatarUrl)).arrayBuffer());
    const after = await sharp(served).metadata();
    expect(after.format).toBe("jpeg");
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(served.includes(Buffer.from("LatchkeyCam"))).toBe(false);
    expect(served.includes(Buffer.from("Exif\0\0"))).toBe(false);
  });

  it("shrinks a large image to fit inside 512x512, keeping its proportions", async () => {
    const user = await signedIn();
    const { body } = await uploadAvatar(server, user.token, await makeImage("png", 1200, 600));
    const served = await sharp(Buffer.from(await (await fetchAvatar(body.data.uploadAvatar.avatarUrl)).arrayBuffer())).metadata();
    expect(served).toMatchObject({ format: "png", width: 512, height: 256 });
  });

  it("keeps exactly one file per user when uploading again, in either format, and bumps the URL version", async () => {
    const user = await signedIn();
    const first = (await uploadAvatar(server, user.token, await makeImage("png"))).body.data.uploadAvatar.avatarUrl;
    const second = (await uploadAvatar(server, user.token, await makeImage("jpeg"))).body.data.uploadAvatar.avatarUrl;
    expect(avatarFiles(user.id)).toEqual([`${user.id}.jpg`]);
    const third = (await uploadAvatar(server, user.token, await makeImage("jpeg", 30, 30))).body.data.uploadAvatar.avatarUrl;
    expect(avatarFiles(user.id)).toEqual([`${user.id}.jpg`]);
    const versions = [first, second, third].map((url: string) => Number(new URL(url).searchParams.get("v")));
    expect(versions[1]).toBeGreaterThan(versions[0]);
    expect(versions[2]).toBeGreaterThan(versions[1]);
    expect((await fetchAvatar(first)).status).toBe(404); // the PNG is gone
    expect(await sharp(Buffer.from(await (await fetchAvatar(third)).arrayBuffer())).metadata()).toMatchObject({ width: 30 });
    expect((await server.gql(ME_AVATAR, {}, { token: user.token })).body.data.me.avatarUrl).toBe(third);
  });

  it("keeps one file, the one the database names, when a PNG and a JPEG upload race", async () => {
    const user = await signedIn();
    const [png, jpeg] = [await makeImage("png"), await makeImage("jpeg")];
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([uploadAvatar(server, user.token, png), uploadAvatar(server, user.token, jpeg)]);
      for (const result of results) expect(result.body.errors).toBeUndefined();
      const row = await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(avatarFiles(user.id)).toEqual([`${user.id}.${row.avatarExt}`]);
    }
  });

  it("removeAvatar deletes the file; its URL then answers 404 and avatarUrl is null", async () => {
    const user = await signedIn();
    const url = (await uploadAvatar(server, user.token, await makeImage("png"))).body.data.uploadAvatar.avatarUrl;
    const { body } = await server.gql(REMOVE, {}, { token: user.token });
    expect(body.data.removeAvatar).toEqual({ id: user.id, avatarUrl: null });
    expect(avatarFiles(user.id)).toEqual([]);
    expect((await fetchAvatar(url)).status).toBe(404);
    const events = await server.app.database.prisma.auditEvent.findMany({ where: { userId: user.id, type: "AVATAR_CHANGED" } });
    expect(events.map((event) => (event.metadata as { action: string }).action).sort()).toEqual(["removed", "uploaded"]);
  });

  it("needs a signed-in user", async () => {
    const { body } = await uploadAvatar(server, "not-a-token", await makeImage("png"));
    expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it.each([
    "/avatars/..%2Fpglite",
    "/avatars/..%2F..%2Fetc%2Fpasswd",
    "/avatars/%2Fetc%2Fpasswd",
    "/avatars/app-secret",
    "/avatars/.upload-0123456789abcdef.tmp",
    "/avatars/0190d4f0-0000-7000-8000-00000000000.png",
    "/avatars/0190d4f0-0000-7000-8000-000000000000.gif",
    "/avatars/0190D4F0-0000-7000-8000-000000000000.PNG",
  ])("serves nothing outside the avatar naming scheme: %s", async (url) => {
    const response = await fetch(`${server.url}${url}`);
    expect(response.status).toBe(404);
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it("answers 404 for a well-formed name without a file", async () => {
    const response = await fetch(`${server.url}/avatars/0190d4f0-0000-7000-8000-000000000000.png`);
    expect(response.status).toBe(404);
  });
});

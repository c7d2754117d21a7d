import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { ME, registerSignedInUser } from "./support/accounts";
import { UPLOAD_AVATAR, makeImage, uploadAvatar } from "./support/uploads";

const MiB = 1024 * 1024;

describe.each(testDatabases)("hostile avatar uploads on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { MAX_AVATAR_BYTES: String(2 * MiB) } });
  });
  afterAll(() => server.stop());

  const signedIn = () => registerSignedInUser(server);
  const avatarDir = () => path.join(server.dataDir, "avatars");
  const folderContents = () => (existsSync(avatarDir()) ? readdirSync(avatarDir()) : []);
  const avatarExt = async (userId: string) =>
    (await server.app.database.prisma.user.findUniqueOrThrow({ where: { id: userId } })).avatarExt;

  it("refuses a text file named .png and declared image/png with UNSUPPORTED_MEDIA_TYPE", async () => {
    const user = await signedIn();
    const text = Buffer.from("<svg onload=alert(1)> definitely not an image\n".repeat(20));
    const { body } = await uploadAvatar(server, user.token, text, { filename: "avatar.png", contentType: "image/png" });
    expect(body.errors?.[0].extensions?.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(await avatarExt(user.id)).toBeNull();
    expect(folderContents().filter((name) => name.startsWith(user.id))).toEqual([]);
  });

  it.each([
    ["a GIF", async () => sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } }).gif().toBuffer()],
    ["a WebP", async () => sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } }).webp().toBuffer()],
    ["a PNG signature followed by junk", async () => Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(400, 7)])],
    ["a truncated JPEG", async () => (await makeImage("jpeg", 200, 200)).subarray(0, 300)],
    ["an empty file", async () => Buffer.alloc(0)],
  ])("refuses %s with UNSUPPORTED_MEDIA_TYPE", async (_label, build) => {
    const user = await signedIn();
    const { body } = await uploadAvatar(server, user.token, await build(), { filename: "x.jpg", contentType: "image/jpeg" });
    expect(body.errors?.[0].extensions?.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(await avatarExt(user.id)).toBeNull();
  });

  it("refuses a 3 MiB file with PAYLOAD_TOO_LARGE and keeps serving", async () => {
    const user = await signedIn();
    // A real PNG header, then 3 MiB: refused for its size, not its type.
    const big = Buffer.concat([await makeImage("png"), Buffer.alloc(3 * MiB, 1)]);
    const { body } = await uploadAvatar(server, user.token, big, { filename: "big.png", contentType: "image/png" });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(await avatarExt(user.id)).toBeNull();

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await server.gql(ME, {}, { token: user.token })).body.data.me.id).toBe(user.id);
    const after = await uploadAvatar(server, user.token, await makeImage("png"));
    expect(after.body.data.uploadAvatar.avatarUrl).toContain(`${user.id}.png`);
  });

  it("refuses a decompression bomb (a small PNG claiming a huge canvas) before decoding it", async () => {
    const user = await signedIn();
    const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: "white" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(2 * MiB);
    const { body } = await uploadAvatar(server, user.token, bomb, { filename: "bomb.png" });
    expect(body.errors?.[0].extensions?.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await avatarExt(user.id)).toBeNull();
  });

  it("refuses a multipart upload without the CSRF preflight header", async () => {
    const user = await signedIn();
    const form = new FormData();
    form.append("operations", JSON.stringify({ query: UPLOAD_AVATAR, variables: { file: null } }));
    form.append("map", JSON.stringify({ 0: ["variables.file"] }));
    form.append("0", new Blob([new Uint8Array(await makeImage("png"))]), "a.png");
    const response = await fetch(`${server.url}/graphql`, { method: "POST", headers: { authorization: `Bearer ${user.token}` }, body: form });
    expect(response.status).toBe(400);
    expect(await avatarExt(user.id)).toBeNull();
  });

  it("refuses two files in one request", async () => {
    const user = await signedIn();
    const form = new FormData();
    form.append("operations", JSON.stringify({ query: UPLOAD_AVATAR, variables: { file: null } }));
    form.append("map", JSON.stringify({ 0: ["variables.file"], 1: ["variables.file"] }));
    form.append("0", new Blob([new Uint8Array(await makeImage("png"))]), "a.png");
    form.append("1", new Blob([new Uint8Array(await makeImage("png"))]), "b.png");
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "apollo-require-preflight": "true" },
      body: form,
    });
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers BAD_USER_INPUT when $file is not a multipart file", async () => {
    const user = await signedIn();
    const { body } = await server.gql(UPLOAD_AVATAR, { file: "iVBORw0KGgo=" }, { token: user.token });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "file" });
    expect(await avatarExt(user.id)).toBeNull();
  });

  it("leaves no temporary files behind", () => {
    expect(folderContents().filter((name) => !/^[0-9a-f-]{36}\.(png|jpg)$/.test(name))).toEqual([]);
  });
});

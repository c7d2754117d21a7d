import sharp from "sharp";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser } from "./support/accounts";
import { makeHugeCanvasPng, makeImage, uploadAvatar } from "./support/uploads";

// A few kilobytes that claim a 6000 x 6000 canvas: decoding it took the server past 500 MB.
describe.each(testDatabases)("avatar decompression bombs on %s", (kind) => {
  let server: TestServer;
  let limited: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
    limited = await startTestServer(kind, { env: { AVATAR_MAX_PIXELS: String(64 * 48) } });
  });
  afterAll(async () => {
    await server.stop();
    await limited.stop();
  });

  async function signedIn(target: TestServer) {
    const user = await registerUser(target);
    const { accessToken } = await login(target, user.username);
    return { ...user, token: accessToken };
  }
  const avatarExt = async (target: TestServer, userId: string) =>
    (await target.app.database.prisma.user.findUniqueOrThrow({ where: { id: userId } })).avatarExt;

  it("the crafted file is a small, valid PNG of 6000 x 6000", async () => {
    const bomb = makeHugeCanvasPng(6000, 6000);
    expect(bomb.length).toBeLessThan(8 * 1024);
    const metadata = await sharp(bomb).metadata();
    expect(metadata).toMatchObject({ format: "png", width: 6000, height: 6000 });
  });

  it.each([
    [6000, 6000],
    [4097, 4096],
    [65_000, 300],
  ])("refuses a %i x %i PNG from its header with PAYLOAD_TOO_LARGE", async (width, height) => {
    const user = await signedIn(server);
    const { body } = await uploadAvatar(server, user.token, makeHugeCanvasPng(width, height), { filename: "bomb.png" });
    expect(body.errors?.[0].extensions).toMatchObject({ code: "PAYLOAD_TOO_LARGE", field: "file" });
    expect(await avatarExt(server, user.id)).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("accepts a large canvas within the limit (4096 x 4096)", async () => {
    const user = await signedIn(server);
    const { body } = await uploadAvatar(server, user.token, makeHugeCanvasPng(4096, 4096), { filename: "big.png" });
    expect(body.errors).toBeUndefined();
    expect(body.data.uploadAvatar.avatarUrl).toContain(`${user.id}.png`);
  });

  it("AVATAR_MAX_PIXELS sets the limit", async () => {
    const user = await signedIn(limited);
    const within = await uploadAvatar(limited, user.token, await makeImage("png", 64, 48));
    expect(within.body.data.uploadAvatar.avatarUrl).toContain(`${user.id}.png`);
    const over = await uploadAvatar(limited, user.token, await makeImage("jpeg", 65, 48), { filename: "a.jpg" });
    expect(over.body.errors?.[0].extensions?.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await avatarExt(limited, user.id)).toBe("png");
  });
});

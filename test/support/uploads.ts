import sharp from "sharp";
import zlib from "node:zlib";
import type { GraphQLResponse, TestServer } from "./test-server";

export const UPLOAD_AVATAR = /* GraphQL */ `
  mutation Upload($file: Upload!) { uploadAvatar(file: $file) { id avatarUrl } }
`;

export interface UploadOptions {
  filename?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A GraphQL multipart request (the spec graphql-upload implements) carrying one file as $file. */
export async function uploadAvatar(
  server: TestServer,
  token: string,
  bytes: Uint8Array,
  { filename = "avatar.png", contentType = "application/octet-stream", headers = {} }: UploadOptions = {},
): Promise<GraphQLResponse> {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query: UPLOAD_AVATAR, variables: { file: null } }));
  form.append("map", JSON.stringify({ 0: ["variables.file"] }));
  form.append("0", new Blob([new Uint8Array(bytes)], { type: contentType }), filename);
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "apollo-require-preflight": "true", ...headers },
    body: form,
  });
  const text = await response.text();
  let body: GraphQLResponse["body"];
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`upload answered ${response.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

/** The path part of an avatarUrl (PUBLIC_URL differs from where the test server listens). */
export function avatarPath(avatarUrl: string): string {
  const url = new URL(avatarUrl);
  return url.pathname + url.search;
}

/** A noisy picture (so it does not compress to nothing) in the given format. */
export async function makeImage(format: "png" | "jpeg", width = 64, height = 48, options: { exifGps?: boolean } = {}): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  let image = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (options.exifGps) {
    image = image.withExif({
      IFD0: { Make: "LatchkeyCam", Model: "Test 1", Copyright: "someone" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 2400/100", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 300/100" },
    });
  }
  return format === "png" ? image.png().toBuffer() : image.jpeg({ quality: 90 }).toBuffer();
}

/**
 * A valid, fully decodable PNG of the given canvas that is tiny on disk: 1-bit greyscale, all
 * black, so every row compresses to almost nothing (6000 x 6000 is about 4 KB). Built by hand,
 * without allocating the canvas.
 */
export function makeHugeCanvasPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const raw = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0 and zero bits per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

import sharp from "sharp";
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

import sharp from "sharp";
import { AppError, ErrorCode } from "../common/app-error";

export type AvatarFormat = "png" | "jpg";

/** Largest stored side: images are shrunk to fit inside this square, never enlarged. */
export const AVATAR_MAX_SIDE = 512;
/**
 * Largest decoded image accepted by default (AVATAR_MAX_PIXELS; 4096 x 4096, above a 12 MP phone
 * photo). A small compressed file can claim a huge canvas (a decompression bomb: a 4 KB PNG of
 * 6000 x 6000 took the server past 500 MB while decoding); the header's dimensions are read
 * first and such an image is refused before its pixels are decoded.
 */
export const AVATAR_MAX_INPUT_PIXELS = 4096 * 4096;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);
/** Enough leading bytes to tell the formats apart. */
export const SNIFF_BYTES = PNG_SIGNATURE.length;

// Avatars are decoded once; libvips' operation cache would only hold memory.
sharp.cache(false);

export function unsupportedImage(message = "The avatar must be a PNG or JPEG image"): AppError {
  return new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message, { field: "file" });
}

/** The format by the file's leading bytes (magic numbers), never by its name or declared type. */
export function sniffImageFormat(head: Buffer): AvatarFormat | null {
  if (head.length >= PNG_SIGNATURE.length && head.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return "png";
  if (head.length >= JPEG_SIGNATURE.length && head.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE)) return "jpg";
  return null;
}

/**
 * Decodes and re-encodes an uploaded image in its own format: orientation applied, shrunk to fit
 * 512x512, and every piece of metadata (EXIF with GPS, XMP, comments, ICC) left behind, since
 * sharp writes none unless asked. Runs on libvips' threads, off the event loop.
 */
export async function normalizeAvatar(
  bytes: Buffer,
  format: AvatarFormat,
  maxPixels = AVATAR_MAX_INPUT_PIXELS,
): Promise<{ data: Buffer; width: number; height: number }> {
  const input = { limitInputPixels: maxPixels, failOn: "error" as const };
  const metadata = await sharp(bytes, input)
    .metadata()
    .catch((error: unknown) => {
      throw decodeError(error);
    });
  // Content and signature must agree (a PNG signature in front of something else is refused).
  if (metadata.format !== (format === "png" ? "png" : "jpeg")) throw unsupportedImage();
  if (!metadata.width || !metadata.height) throw unsupportedImage("The avatar is not a readable PNG or JPEG image");
  // Only the header has been read so far; the pixels are decoded below, once the canvas fits.
  if (metadata.width * metadata.height > maxPixels) throw tooManyPixels();
  try {
    const pipeline = sharp(bytes, input)
      .rotate()
      .resize({ width: AVATAR_MAX_SIDE, height: AVATAR_MAX_SIDE, fit: "inside", withoutEnlargement: true });
    const encoded = format === "png" ? pipeline.png({ compressionLevel: 9 }) : pipeline.jpeg({ quality: 85, mozjpeg: true });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw decodeError(error);
  }
}

function tooManyPixels(): AppError {
  return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, "The avatar's dimensions are too large", { field: "file" });
}

/** sharp refuses a canvas over limitInputPixels by message; anything else it cannot read is not an image. */
function decodeError(error: unknown): AppError {
  if (error instanceof Error && /pixel limit/i.test(error.message)) return tooManyPixels();
  return unsupportedImage("The avatar is not a readable PNG or JPEG image");
}

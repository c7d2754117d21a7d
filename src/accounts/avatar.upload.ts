import type { Readable } from "node:stream";
import { AppError, ErrorCode, Errors } from "../common/app-error";
import { SNIFF_BYTES, sniffImageFormat, unsupportedImage, type AvatarFormat } from "./avatar.image";

export function avatarTooLarge(maxBytes: number): AppError {
  return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The avatar may be at most ${maxBytes} bytes`, { field: "file", maxBytes });
}

/**
 * Reads an uploaded file into memory, at most `maxBytes` of it: the stream is abandoned as soon as
 * it goes past the limit (the multipart parser discards the rest), or as soon as its first bytes
 * show it is neither PNG nor JPEG.
 */
export async function readAvatarUpload(open: () => Readable, maxBytes: number): Promise<{ bytes: Buffer; format: AvatarFormat }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let format: AvatarFormat | null = null;
  let stream: Readable | undefined;
  try {
    // Opening throws at once when the upload already failed (e.g. went past maxFileSize).
    stream = open();
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw avatarTooLarge(maxBytes);
      chunks.push(chunk);
      if (format === null && size >= SNIFF_BYTES) {
        format = sniffImageFormat(Buffer.concat(chunks));
        if (!format) throw unsupportedImage();
      }
    }
  } catch (error) {
    stream?.destroy();
    if (error instanceof AppError) throw error;
    // graphql-upload ends the file stream with HTTP 413 when it passes its own maxFileSize.
    if ((error as { status?: number }).status === 413) throw avatarTooLarge(maxBytes);
    throw Errors.badInput("file", "The upload did not complete");
  }
  const bytes = Buffer.concat(chunks, size);
  format ??= sniffImageFormat(bytes);
  if (!format) throw unsupportedImage();
  return { bytes, format };
}


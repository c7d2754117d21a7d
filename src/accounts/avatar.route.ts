import type { NextFunction, Request, Response } from "express";
import { AVATAR_FILE_NAME } from "./avatar-files";
import type { AvatarFormat } from "./avatar.image";
import type { AvatarStorage } from "./avatar-storage";

const CONTENT_TYPES: Record<AvatarFormat, string> = { png: "image/png", jpg: "image/jpeg" };

const HEADERS = {
  "x-content-type-options": "nosniff",
  "cache-control": "public, max-age=3600",
  "content-security-policy": "default-src 'none'; sandbox",
  "cross-origin-resource-policy": "cross-origin",
};

/**
 * The entity tags an If-None-Match header lists, unquoted; weak ones compare as strong (RFC 9110
 * uses the weak comparison for If-None-Match). "*" stands for any current avatar.
 */
export function cachedTags(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .map((tag) => (tag === "*" ? tag : /^"([^"]*)"$/.exec(tag)?.[1]))
    .filter((tag): tag is string => !!tag);
}

/**
 * GET /avatars/<userId>.png|.jpg: only names of that shape, from the configured storage. URLs
 * carry ?v=<version>, so a changed avatar is a new URL; an hour of caching is then safe, and
 * short enough that a removed avatar does not linger. The ETag is the content hash, the same on
 * every host, so a client revalidating against another host still gets 304.
 */
export function avatarRoute(storage: AvatarStorage) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const match = AVATAR_FILE_NAME.exec(String(req.params.file ?? ""));
    if (!match) {
      res.status(404).end();
      return;
    }
    const format = match[1] as AvatarFormat;
    const userId = match[0].slice(0, -(format.length + 1));
    let content;
    try {
      content = await storage.read(userId, format, cachedTags(req.headers["if-none-match"]));
    } catch (error) {
      next(error);
      return;
    }
    if (!content) {
      res.status(404).end();
      return;
    }
    res.set({ ...HEADERS, etag: `"${content.hash}"` });
    if (!content.data) {
      res.status(304).end();
      return;
    }
    res.set({ "content-type": CONTENT_TYPES[format], "content-length": String(content.data.length) });
    res.end(content.data);
  };
}

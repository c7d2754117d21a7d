import type { Request, Response } from "express";
import { AVATAR_FILE_NAME, type AvatarFiles } from "./avatar-files";

const CONTENT_TYPES: Record<string, string> = { png: "image/png", jpg: "image/jpeg" };

/**
 * GET /avatars/<userId>.png|.jpg: only names of that shape, only from the avatar folder. URLs
 * carry ?v=<version>, so a changed avatar is a new URL; an hour of caching is then safe, and
 * short enough that a removed avatar does not linger.
 */
export function avatarRoute(files: AvatarFiles) {
  return (req: Request, res: Response): void => {
    const name = String(req.params.file ?? "");
    const match = AVATAR_FILE_NAME.exec(name);
    if (!match) {
      res.status(404).end();
      return;
    }
    res.sendFile(
      name,
      {
        root: files.dir,
        dotfiles: "deny",
        headers: {
          "content-type": CONTENT_TYPES[match[1]],
          "x-content-type-options": "nosniff",
          "cache-control": "public, max-age=3600",
          "content-security-policy": "default-src 'none'; sandbox",
          "cross-origin-resource-policy": "cross-origin",
        },
      },
      (error?: Error & { status?: number; statusCode?: number }) => {
        if (!error || res.headersSent) return;
        res.status(error.status === 404 || (error as NodeJS.ErrnoException).code === "ENOENT" ? 404 : 500).end();
      },
    );
  };
}

import { existsSync } from "node:fs";
import type http from "node:http";
import path from "node:path";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { requestLog } from "../common/request-log";

export interface AdminConsoleOptions {
  /** The console's build (console/dist): index.html and assets/. */
  distDir: string;
  logger: Logger;
  /** Strict-Transport-Security, as on the rest of the server (off in development). */
  strictTransportSecurity: boolean;
}

/** GET and HEAD requests for /admin and below; everything else goes to the API's routes. */
export const ADMIN_CONSOLE_PATH = /^\/admin(?:[/?#]|$)/;

export const CONSOLE_NOT_BUILT = "The admin console is not built: run `npm run build` (it builds console/ into console/dist).\n";

/**
 * Serves the admin console's build at /admin: hashed files under /admin/assets/ cached for a
 * year (their names change with their content), index.html for every other path (the console's
 * own routes: /admin/users/<id> is a deep link) and never cached, so a new build shows at once.
 * Its Content-Security-Policy allows only the console's own scripts and styles (no inline
 * code) and requests to the same origin; nothing is loaded from anywhere else.
 */
export function adminConsole({ distDir, logger, strictTransportSecurity }: AdminConsoleOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          // Avatars are served by this server (/avatars); the favicon is an empty data: URL.
          imgSrc: ["'self'", "data:"],
          // /graphql over HTTP, and its subscriptions over WebSocket on the same origin.
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: "no-referrer" },
      strictTransportSecurity: strictTransportSecurity ? { maxAge: 15552000, includeSubDomains: true } : false,
      crossOriginResourcePolicy: { policy: "same-origin" },
    }),
  );
  app.use(requestLog(logger));

  const indexFile = path.join(distDir, "index.html");
  app.use(
    "/admin/assets",
    express.static(path.join(distDir, "assets"), { index: false, redirect: false, immutable: true, maxAge: "365d" }),
  );
  // A file asked for under assets/ that is not there is a 404, not the page: a stale tab after a
  // new build must fail to load the old chunk rather than parse HTML as JavaScript.
  app.use("/admin/assets", (_req: Request, res: Response) => {
    res.status(404).type("text/plain").send("Not found\n");
  });
  app.get(["/admin", "/admin/*path"], (_req: Request, res: Response, next: NextFunction) => {
    if (!existsSync(indexFile)) {
      res.status(404).type("text/plain").send(CONSOLE_NOT_BUILT);
      return;
    }
    res.sendFile(indexFile, { headers: { "cache-control": "no-cache" }, dotfiles: "deny" }, (error) => {
      if (error) next(error);
    });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const declared = (error as { status?: unknown } | null)?.status;
    const status = typeof declared === "number" && declared >= 400 && declared < 500 ? declared : 500;
    if (status >= 500) logger.error({ err: error }, "admin console request failed");
    res.status(status).type("text/plain").send(status === 404 ? "Not found\n" : "Internal error\n");
  });
  return app;
}

/**
 * Puts the console in front of a server's own request handling: GET and HEAD requests under
 * /admin go to `consoleApp`, every other request to the handlers the server already had.
 */
export function serveAdminConsole(server: http.Server, consoleApp: http.RequestListener): void {
  const others = server.listeners("request") as http.RequestListener[];
  server.removeAllListeners("request");
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if ((req.method === "GET" || req.method === "HEAD") && ADMIN_CONSOLE_PATH.test(req.url ?? "")) {
      consoleApp(req, res);
      return;
    }
    for (const listener of others) listener.call(server, req, res);
  });
}

import http from "node:http";
import { createReadStream, existsSync, statSync } from "node:fs";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};
const PROXIED = /^\/(graphql|avatars)(\/|\?|$)/;

export interface SpaServer {
  url: string;
  /** Where /graphql and /avatars go; set once the API server is up. */
  setApi(url: string): void;
  close(): Promise<void>;
}

/**
 * Serves a built single-page app and forwards /graphql and /avatars to the API, as the example's
 * Vite dev server does: the browser sees one origin, so SameSite=Strict cookies and CSRF rules
 * behave as in a real deployment behind one host.
 */
export async function startSpaServer(distDir: string): Promise<SpaServer> {
  let api: URL | undefined;
  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    if (PROXIED.test(url)) {
      if (!api) return void res.writeHead(503).end();
      const upstream = http.request(
        new URL(url, api),
        { method: req.method, headers: { ...req.headers, host: api.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.headersSent || res.writeHead(502).end());
      req.pipe(upstream);
      return;
    }
    // Static files; any other path is the app's own route, answered with index.html.
    const wanted = path.join(distDir, path.normalize(decodeURIComponent(url.split("?")[0])));
    const file = wanted.startsWith(distDir) && existsSync(wanted) && statSync(wanted).isFile() ? wanted : path.join(distDir, "index.html");
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://localhost:${port}`,
    setApi: (url) => (api = new URL(url)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

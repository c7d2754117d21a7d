import http from "node:http";
import { createReadStream, existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Duplex } from "node:stream";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};
const PROXIED = /^\/(graphql|avatars|magic-link)(\/|\?|$)/;

export interface SpaServer {
  url: string;
  /** Where /graphql and /avatars go; set once the API server is up. */
  setApi(url: string): void;
  close(): Promise<void>;
}

/**
 * Serves a built single-page app and forwards /graphql (WebSocket upgrades included) and /avatars to the API, as the example's
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
  // WebSocket upgrades of /graphql (subscriptions) are forwarded too, byte for byte once upgraded.
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => undefined);
    const url = req.url ?? "/";
    if (!api || !/^\/graphql(\?|$)/.test(url)) return void socket.destroy();
    const upstream = http.request(new URL(url, api), { method: req.method, headers: { ...req.headers, host: api.host } });
    upstream.on("upgrade", (answer, upstreamSocket, upstreamHead) => {
      upstreamSocket.on("error", () => socket.destroy());
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
      socket.on("close", () => upstreamSocket.destroy());
      upstreamSocket.on("close", () => socket.destroy());
    });
    // A refusal (404, 429) goes back as it came.
    upstream.on("response", (answer) => {
      socket.end(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      answer.resume();
    });
    upstream.on("error", () => socket.destroy());
    upstream.end();
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

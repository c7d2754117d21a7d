import http from "node:http";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger } from "../src/logger";
import { CONSOLE_NOT_BUILT, adminConsole, serveAdminConsole } from "../src/admin/console.route";

// How the server hands out the admin console's build (console/dist) at /admin, in front of the
// API's own routes, over real HTTP. The build itself runs in admin_console_browser.test.ts; here
// a folder shaped like it (index.html, hashed assets) stands in, so that "not built" and a
// stale asset can be tested without touching the real one.
describe("the admin console's files at /admin", () => {
  let root: string;
  let server: http.Server;
  let base: string;
  let distDir: string;
  const apiHits: string[] = [];

  const start = async (dir: string) => {
    server = http.createServer((req, res) => {
      // Stands for the API's own handling (http-server.ts): anything that is not the console.
      apiHits.push(`${req.method} ${req.url}`);
      res.writeHead(418, { "content-type": "text/plain" }).end("api");
    });
    serveAdminConsole(server, adminConsole({ distDir: dir, logger: createLogger("silent"), strictTransportSecurity: true }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  };
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), "latchkey-console-"));
    distDir = path.join(root, "dist");
    mkdirSync(path.join(distDir, "assets"), { recursive: true });
    writeFileSync(path.join(distDir, "index.html"), '<!doctype html><title>console</title><script type="module" src="/admin/assets/index-AbC123.js"></script>');
    writeFileSync(path.join(distDir, "assets", "index-AbC123.js"), "console.log('app');");
    writeFileSync(path.join(root, "secret.txt"), "outside the build");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(() => apiHits.splice(0));

  describe("when built", () => {
    beforeAll(() => start(distDir));
    afterAll(stop);

    it("answers /admin and every deep link with index.html, never cached, under a policy without inline code", async () => {
      for (const route of ["/admin", "/admin/", "/admin/users/0197-abc", "/admin/users?q=ada&role=ADMIN", "/admin/audit"]) {
        const response = await fetch(base + route);
        expect([route, response.status, response.headers.get("content-type")]).toEqual([route, 200, "text/html; charset=utf-8"]);
        expect(await response.text()).toContain("<title>console</title>");
        expect(response.headers.get("cache-control")).toBe("no-cache");
        const policy = response.headers.get("content-security-policy")!;
        expect(policy).toContain("default-src 'none'");
        expect(policy).toContain("script-src 'self'");
        expect(policy).toContain("connect-src 'self'");
        expect(policy).toContain("frame-ancestors 'none'");
        expect(policy).not.toContain("unsafe-inline");
        expect(policy).not.toContain("unsafe-eval");
        expect(response.headers.get("strict-transport-security")).toContain("max-age=");
        expect(response.headers.get("x-powered-by")).toBeNull();
      }
      expect(apiHits).toEqual([]);
    });

    it("serves hashed assets for a year (immutable), and a missing one as 404, not as the page", async () => {
      const asset = await fetch(`${base}/admin/assets/index-AbC123.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
      expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(await asset.text()).toBe("console.log('app');");

      const stale = await fetch(`${base}/admin/assets/index-Old999.js`);
      expect(stale.status).toBe(404);
      expect(await stale.text()).not.toContain("<title>");
    });

    it("serves nothing outside the build", async () => {
      for (const route of ["/admin/assets/..%2f..%2fsecret.txt", "/admin/assets/%2e%2e/%2e%2e/secret.txt", "/admin/../secret.txt"]) {
        const response = await fetch(base + route);
        expect(await response.text()).not.toContain("outside the build");
      }
    });

    it("leaves every other request to the API: other methods, other paths", async () => {
      expect((await fetch(`${base}/admin`, { method: "POST", body: "{}" })).status).toBe(418);
      expect((await fetch(`${base}/graphql`)).status).toBe(418);
      expect((await fetch(`${base}/administrator`)).status).toBe(418);
      expect((await fetch(`${base}/`)).status).toBe(418);
      expect(apiHits).toEqual(["POST /admin", "GET /graphql", "GET /administrator", "GET /"]);
    });
  });

  describe("when not built", () => {
    beforeAll(() => start(path.join(root, "missing-dist")));
    afterAll(stop);

    it("answers 404 with a plain message naming `npm run build`", async () => {
      for (const route of ["/admin", "/admin/users/1"]) {
        const response = await fetch(base + route);
        expect(response.status).toBe(404);
        expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
        expect(await response.text()).toBe(CONSOLE_NOT_BUILT);
      }
      expect(CONSOLE_NOT_BUILT).toContain("npm run build");
    });
  });
});

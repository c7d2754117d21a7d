import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildConsole } from "./support/console-build";

const LIMIT_BYTES = 300 * 1024;

// The console is a page support staff open many times a day, often on a slow link: its
// JavaScript stays within 300 KB gzipped, everything it loads comes from the server itself,
// and nothing runs inline (the /admin Content-Security-Policy forbids it).
describe("the admin console's production bundle", () => {
  let dist: string;
  beforeAll(async () => {
    dist = await buildConsole(mkdtempSync(path.join(tmpdir(), "latchkey-console-build-")));
  }, 180_000);
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it("has at most 300 KB of JavaScript, gzipped", () => {
    const scripts = readdirSync(path.join(dist, "assets")).filter((name) => name.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    const sizes = scripts.map((name) => gzipSync(readFileSync(path.join(dist, "assets", name)), { level: 9 }).length);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    expect(total).toBeLessThanOrEqual(LIMIT_BYTES);
  });

  it("loads only its own hashed files under /admin/assets/, with no inline script or style", () => {
    const html = readFileSync(path.join(dist, "index.html"), "utf8");
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(references.filter((url) => url !== "data:," && !/^\/admin\/assets\/[\w.-]+-[\w-]{8}\.(js|css)$/.test(url))).toEqual([]);
    expect(references.some((url) => url.endsWith(".js"))).toBe(true);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle="/);
  });

  it("fetches nothing from other hosts (no CDN, no web fonts)", () => {
    const files = readdirSync(path.join(dist, "assets")).filter((name) => /\.(js|css)$/.test(name));
    for (const name of files) {
      const text = readFileSync(path.join(dist, "assets", name), "utf8");
      expect([name, text.match(/@import\s+url\(|url\(\s*["']?https?:|fonts\.googleapis|cdn\.|unpkg\.com|jsdelivr/g)]).toEqual([name, null]);
    }
  });
});

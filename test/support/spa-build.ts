import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { buildClientIfStale } from "./client-build";
import { launchChromium } from "./browser";
import { testDatabases } from "./databases";
import { startSpaServer, type SpaServer } from "./spa-server";
import { startTestServer, type TestServer } from "./test-server";

export const SPA_DIR = path.join(__dirname, "..", "..", "examples", "spa");

/**
 * Builds examples/spa from its current sources into a folder of this suite's own (so suites in
 * parallel workers never write one another's build), after @latchkey/client when it is stale.
 * `mode: "development"` keeps the development build's readable errors; the default is the
 * production build `npm run build` makes.
 */
export async function buildSpa(options: { mode?: "development" | "production" } = {}): Promise<string> {
  const vite = path.join(SPA_DIR, "node_modules", "vite", "bin", "vite.js");
  if (!existsSync(vite)) throw new Error("examples/spa has no node_modules: run `npm --prefix examples/spa ci` first");
  await buildClientIfStale();
  const outDir = mkdtempSync(path.join(tmpdir(), "latchkey-spa-"));
  const mode = options.mode === "development" ? ["--mode", "development"] : [];
  await promisify(execFile)(process.execPath, [vite, "build", ...mode, "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"], { cwd: SPA_DIR });
  return outDir;
}

/** The example app in headless Chromium against a test server: close() stops all three. */
export interface AppInBrowser {
  browser: Browser;
  spa: SpaServer;
  server: TestServer;
  close(): Promise<void>;
}

/**
 * The example app's development build served on an origin of its own, a test server on the first
 * test database whose PUBLIC_URL is that origin (avatar URLs, mailed links and allowed origins
 * follow it) with `env` besides, and headless Chromium. Browser behaviour does not depend on the
 * database, so one kind.
 */
export async function startAppInBrowser(env: Record<string, string> = {}): Promise<AppInBrowser> {
  const [dist, browser] = await Promise.all([buildSpa({ mode: "development" }), launchChromium()]);
  const spa = await startSpaServer(dist);
  const server = await startTestServer(testDatabases[0], { env: { PUBLIC_URL: spa.url, ...env } });
  spa.setApi(server.url);
  return {
    browser,
    spa,
    server,
    close: async () => {
      await browser.close();
      await spa.close();
      await server.stop();
    },
  };
}

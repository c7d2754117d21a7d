import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

// Headless Chromium from the system package (see .ci/run), driven by playwright-core.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const ARTIFACTS_DIR = path.join(__dirname, "..", "..", "test-artifacts");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** What a page did that a test should fail on: requests leaving the machine, errors in the console. */
export interface PageWatch {
  page: Page;
  /** URLs the page tried to reach beyond localhost; each was aborted. */
  offsiteRequests: string[];
  /** Console errors (CSP violations included) and uncaught exceptions. */
  errors: string[];
  /** Console warnings (a library's development build complaining, e.g. Apollo's cache). */
  warnings: string[];
}

/** A fresh page whose every request off localhost is aborted and recorded, and whose errors are kept. */
export async function watchedPage(context: BrowserContext): Promise<PageWatch> {
  const watch: PageWatch = { page: await context.newPage(), offsiteRequests: [], errors: [], warnings: [] };
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    const local = url.protocol === "data:" || url.protocol === "blob:" || LOOPBACK_HOSTS.has(url.hostname);
    if (local) return route.continue();
    watch.offsiteRequests.push(url.href);
    return route.abort("blockedbyclient");
  });
  watch.page.on("console", (message) => {
    if (message.type() === "error") watch.errors.push(message.text().slice(0, 300));
    if (message.type() === "warning") watch.warnings.push(message.text().slice(0, 300));
  });
  watch.page.on("pageerror", (error) => watch.errors.push(`uncaught: ${error.message}`));
  return watch;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

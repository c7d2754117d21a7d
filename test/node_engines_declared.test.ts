// package.json's `engines.node` is a promise to operators: every installed package (the
// server's, the tools', the example app's, the admin console's) must accept the lowest release
// of each Node line it names. A dependency that moves to a newer Node fails here instead of
// warning at install.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";

const root = path.join(__dirname, "..");

// Installed but never run by this project, each with the reason.
const NEVER_RUN: Record<string, string> = {
  // `prisma dev`'s local database server (Bun-first); migrations here go through the schema engine.
  "@prisma/streams-local": "part of `prisma dev`, which this project does not use",
};

interface Tree {
  version?: string;
  path?: string;
  dependencies?: Record<string, Tree>;
}

/** Every installed package (name, version, folder) of the npm project in `dir`. */
function installed(dir: string): Array<{ name: string; version: string; folder: string }> {
  // npm ls exits 1 over the example app's linked workspace package (its own dependencies are
  // the root's), but still prints the whole tree.
  const listed = spawnSync("npm", ["ls", "--all", "--json", "--long"], { cwd: dir, maxBuffer: 1 << 28 });
  const tree = JSON.parse(listed.stdout.toString()) as Tree;
  const found = new Map<string, { name: string; version: string; folder: string }>();
  const walk = (deps: Record<string, Tree> | undefined) => {
    for (const [name, info] of Object.entries(deps ?? {})) {
      if (!info.path || found.has(info.path)) continue;
      found.set(info.path, { name, version: info.version ?? "", folder: info.path });
      walk(info.dependencies);
    }
  };
  walk(tree.dependencies);
  return [...found.values()];
}

/** The lowest version of each `||` part of the range: 20.19.0, 22.13.0, 24.0.0. */
function lowestOfEachLine(range: string): string[] {
  return range.split("||").map((part) => semver.minVersion(part.trim())!.version);
}

function refusals(dir: string, lows: string[]): string[] {
  const refused: string[] = [];
  for (const { name, version, folder } of installed(dir)) {
    if (name in NEVER_RUN) continue;
    let engines: string | undefined;
    try {
      engines = (JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as { engines?: { node?: string } }).engines?.node;
    } catch {
      continue; // an optional dependency for another platform is listed but not installed
    }
    if (!engines || !semver.validRange(engines)) continue;
    const missed = lows.filter((low) => !semver.satisfies(low, engines));
    if (missed.length > 0) refused.push(`${name}@${version} wants node ${engines}, refusing ${missed.join(", ")}`);
  }
  return refused;
}

describe("the Node versions package.json declares", () => {
  const declared = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
  const lows = lowestOfEachLine(declared);

  it("name the Node this machine runs", () => {
    expect(semver.satisfies(process.versions.node, declared)).toBe(true);
  });

  it("are accepted by every package the project installs", () => {
    expect(refusals(root, lows)).toEqual([]);
  }, 120_000);

  it("are accepted by every package the example app installs", () => {
    expect(refusals(path.join(root, "examples", "spa"), lows)).toEqual([]);
  }, 120_000);

  it("are accepted by every package the admin console installs, and the console declares the same", () => {
    const consoleDir = path.join(root, "console");
    const own = (JSON.parse(readFileSync(path.join(consoleDir, "package.json"), "utf8")) as { engines?: { node?: string } }).engines?.node;
    expect(own).toBe(declared);
    expect(refusals(consoleDir, lows)).toEqual([]);
  }, 120_000);
});

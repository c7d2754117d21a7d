import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.join(__dirname, "..");
const pages = ["README.md", ...readdirSync(path.join(root, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

/** The text outside fenced code blocks and code spans, where Markdown links live. */
const prose = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");

/** GitHub's heading anchors: lower-case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = heading.replace(/`/g, "").toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, "").replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

function relativeLinks(page: string): string[] {
  const text = prose(readFileSync(path.join(root, page), "utf8"));
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]).filter((target) => !/^[a-z]+:/i.test(target));
}

// Every page is reachable from the README, and no link sends a reader to a missing page or heading.
describe("links in README.md and docs/", () => {
  it.each(pages)("%s: every relative link names a file that exists, and a heading that exists", (page) => {
    const broken: string[] = [];
    for (const target of relativeLinks(page)) {
      const [file, anchor] = target.split("#");
      const resolved = file === "" ? path.join(root, page) : path.resolve(path.dirname(path.join(root, page)), decodeURIComponent(file));
      if (!existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor !== undefined) {
        if (!resolved.endsWith(".md")) broken.push(`${target}: an anchor into a file that is not Markdown`);
        else if (!anchorsOf(readFileSync(resolved, "utf8")).has(anchor)) broken.push(`${target}: no such heading`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("README.md links every page in docs/", () => {
    const linked = new Set(relativeLinks("README.md").map((target) => path.normalize(target.split("#")[0])));
    expect(pages.filter((page) => page !== "README.md" && !linked.has(page))).toEqual([]);
  });

  it("README.md stays a quick start", () => {
    expect(readFileSync(path.join(root, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(250);
  });
});

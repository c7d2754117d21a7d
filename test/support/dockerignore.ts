// .dockerignore read the way Docker's builder reads it (moby's patternmatcher): one pattern a
// line, `#` comments, a leading `/` ignored, `!` re-includes, the last matching line wins, and
// a pattern that matches a folder excludes everything under it. `*` and `?` stay within one
// path segment, `**` crosses any number of them, `[...]` is a character class.

export interface DockerignoreRule {
  pattern: string;
  /** `!pattern`: a path it matches is sent after all. */
  include: boolean;
  regex: RegExp;
}

export function parseDockerignore(text: string): DockerignoreRule[] {
  const rules: DockerignoreRule[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith("#")) continue;
    let pattern = line.trim();
    if (!pattern) continue;
    const include = pattern.startsWith("!");
    if (include) pattern = pattern.slice(1).trim();
    pattern = cleanPath(pattern);
    if (pattern.length > 1 && pattern.startsWith("/")) pattern = pattern.slice(1);
    rules.push({ pattern, include, regex: patternRegex(pattern) });
  }
  return rules;
}

/** Whether a path relative to the build context (`a/b/c`) stays out of the context. */
export function isIgnored(relativePath: string, rules: DockerignoreRule[]): boolean {
  const segments = cleanPath(relativePath).split("/");
  // The path and every folder above it: excluding a folder excludes what it holds.
  const candidates = segments.map((_, index) => segments.slice(0, index + 1).join("/"));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.regex.test(candidate))) ignored = !rule.include;
  }
  return ignored;
}

/** Whether some rule re-includes paths, so an ignored folder may still hold sent files. */
export function hasExceptions(rules: DockerignoreRule[]): boolean {
  return rules.some((rule) => rule.include);
}

/** Go's filepath.Clean for slash paths: no `.` segments, no doubled or trailing slashes. */
function cleanPath(value: string): string {
  const absolute = value.startsWith("/");
  const out: string[] = [];
  for (const segment of value.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === ".." && out.length && out[out.length - 1] !== "..") out.pop();
    else if (segment !== ".." || !absolute) out.push(segment);
  }
  const joined = out.join("/");
  return absolute ? `/${joined}` : joined || ".";
}

function patternRegex(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        // `**/` also matches no folder at all; a trailing `**` matches everything below.
        if (pattern[i + 1] === "/") {
          i++;
          source += "(?:.*/)?";
        } else source += ".*";
      } else source += "[^/]*";
    } else if (char === "?") source += "[^/]";
    else if (char === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end === -1) throw new Error(`.dockerignore: unclosed [ in ${pattern}`);
      const body = pattern.slice(i + 1, end).replace(/^!/, "^");
      source += `[${body}]`;
      i = end;
    } else if (char === "\\" && i + 1 < pattern.length) {
      source += escapeRegex(pattern[++i]);
    } else source += escapeRegex(char);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegex(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

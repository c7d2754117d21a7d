// Renders .env.example from the table of environment variables (src/config/config-variables.ts)
// and the rate-limit rules; `npm run docs:config` writes it with docs/configuration.md, and a test
// fails when the committed file differs. Every line is a comment, so a copy changes nothing.
import { isDeepStrictEqual } from "node:util";
import { CONFIG_VARIABLES } from "../src/config/config-variables";
import type { ConfigVariable } from "../src/config/variable-parsers";
import { RATE_LIMIT_RULES, SERVICE_RATE_LIMITS } from "../src/limits/rate-limit-rules";

const WIDTH = 100;

/** Markdown to comment text: links become "text (docs/page)". */
function plain(markdown: string): string {
  return markdown.replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_all, text: string, target: string) => `${text} (docs/${target})`);
}

/** One paragraph as `# ` lines of at most WIDTH characters (a longer word stays whole). */
function comment(text: string): string[] {
  const lines: string[] = [];
  let line = "#";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length > 1 && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = "#";
    }
    line += ` ${word}`;
  }
  if (line.length > 1) lines.push(line);
  return lines;
}

/**
 * The value to show after `NAME=`: the default itself when the table shows it as one literal
 * that the parser reads exactly as it reads an unset variable (so uncommenting the line changes
 * nothing), else nothing and the default in words.
 */
function literalDefault(name: string, variable: ConfigVariable<unknown>): string | undefined {
  const shown = /^`([^`]+)`$/.exec(variable.default)?.[1];
  if (shown === undefined) return undefined;
  const context = { name, mode: "development" as const, env: {} };
  try {
    return isDeepStrictEqual(variable.parse(shown, context), variable.parse(undefined, context)) ? shown : undefined;
  } catch {
    return undefined; // computed from another variable (`http://localhost:PORT`)
  }
}

function rateLimitLines(): string[] {
  const limits = [...Object.values(RATE_LIMIT_RULES).flat(), ...SERVICE_RATE_LIMITS];
  return [
    "# What each one counts, and per what: docs/configuration.md#rate-limits.",
    ...limits.map((limit) => `# RATE_LIMIT_${limit.key}=${limit.defaultLimit}`),
  ];
}

/** The file, as committed. */
export function renderEnvExample(): string {
  const sections = new Map<string, string[]>();
  for (const [name, variable] of Object.entries(CONFIG_VARIABLES) as Array<[string, ConfigVariable<unknown>]>) {
    const lines = sections.get(variable.section) ?? [];
    if (lines.length > 0) lines.push("");
    lines.push(...comment(plain(variable.description)));
    if (name === "RATE_LIMIT_<KEY>") {
      lines.push(...rateLimitLines());
    } else {
      const value = literalDefault(name, variable);
      // An empty `NAME=` already reads as unset; any other default is said in words.
      if (value === undefined && variable.default !== "unset") lines.push(...comment(`Default: ${plain(variable.default)}.`));
      lines.push(`# ${name}=${value ?? ""}`);
    }
    sections.set(variable.section, lines);
  }
  const out = [
    "# Latchkey's settings: every environment variable it reads, with its default and meaning.",
    "# Generated from src/config/config-variables.ts by `npm run docs:config`; edit the table there.",
    "#",
    "# Copy this file to .env and remove the `# ` before the lines you change: every line here is a",
    "# comment, so the copy alone changes nothing. The server and the operator commands read .env",
    "# from the working directory at start (ENV_FILE names another file); a variable set in the",
    "# environment wins over the file. Reference: docs/configuration.md.",
  ];
  for (const [section, lines] of sections) out.push("", `# ===== ${section} =====`, "", ...lines);
  return out.join("\n") + "\n";
}

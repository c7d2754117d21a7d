import { parseDuration } from "../common/duration";
import { ConfigError } from "./config-error";

export type Env = Record<string, string | undefined>;
export type ConfigMode = "development" | "production" | "test";

/** What a parser sees besides its own value: its name (for messages), the mode and the rest. */
export interface ParseContext {
  name: string;
  mode: ConfigMode;
  env: Env;
}

/**
 * One environment variable: the parser of its value and its row in docs/configuration.md
 * (generated from this table by `npm run docs:config`).
 */
export interface ConfigVariable<T> {
  /** The reference's section the row goes in. */
  section: string;
  /** What an unset variable means, as the reference shows it (Markdown). */
  default: string;
  /** What it decides, for the reference (Markdown, one paragraph). */
  description: string;
  /** `raw` is the variable as set (undefined when unset); throws ConfigError on a bad value. */
  parse(raw: string | undefined, context: ParseContext): T;
}

/** The part of a variable a parser builder fills in: its default and its parser. */
export type Parser<T> = Pick<ConfigVariable<T>, "default" | "parse">;

const code = (value: string) => `\`${value}\``;

/** "30s", "10m", "12h", "30d", "250ms" or "0". */
export function duration(fallback: string, limits: { positive?: boolean; max?: string } = {}): Parser<number> {
  return {
    default: code(fallback),
    parse(raw, { name }) {
      let value: number;
      try {
        value = parseDuration(raw ?? fallback);
      } catch (error) {
        throw new ConfigError(`${name}: ${(error as Error).message}`);
      }
      if (limits.positive && value <= 0) throw new ConfigError(`${name} must be longer than 0`);
      if (limits.max !== undefined && value > parseDuration(limits.max)) throw new ConfigError(`${name} must be at most ${limits.max}`);
      return value;
    },
  };
}

/** A whole number in [min, max]; an empty value counts as unset. */
export function integer(fallback: number, min: number | ((mode: ConfigMode) => number), max: number): Parser<number> {
  return {
    default: code(String(fallback)),
    parse(raw, { name, mode }) {
      if (raw === undefined || raw === "") return fallback;
      const least = typeof min === "function" ? min(mode) : min;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < least || value > max) {
        throw new ConfigError(`${name} must be a whole number from ${least} to ${max}, got "${raw}"`);
      }
      return value;
    },
  };
}

/** A port number, or undefined when unset or empty. */
export function optionalInteger(min: number, max: number): Parser<number | undefined> {
  const parser = integer(0, min, max);
  return { default: "unset", parse: (raw, context) => (raw ? parser.parse(raw, context) : undefined) };
}

/** true/1/yes or false/0/no, any case; an empty value counts as unset. */
export function boolean(fallback: boolean | ((mode: ConfigMode) => boolean), shown?: string): Parser<boolean> {
  return {
    default: shown ?? code(String(fallback)),
    parse(raw, { name, mode }) {
      if (raw === undefined || raw === "") return typeof fallback === "function" ? fallback(mode) : fallback;
      if (["true", "1", "yes"].includes(raw.toLowerCase())) return true;
      if (["false", "0", "no"].includes(raw.toLowerCase())) return false;
      throw new ConfigError(`${name} must be true or false, got "${raw}"`);
    },
  };
}

/** Text taken as it is; only an unset variable takes the default. */
export function text(fallback: string): Parser<string> {
  return { default: code(fallback), parse: (raw) => raw ?? fallback };
}

/** Text, or undefined when unset or empty. */
export function optionalText(shown = "unset"): Parser<string | undefined> {
  return { default: shown, parse: (raw) => raw || undefined };
}

/** A comma-separated list; blanks between commas are dropped. */
export function list(shown = "unset"): Parser<string[]> {
  return { default: shown, parse: (raw) => (raw ?? "").split(",").map((item) => item.trim()).filter(Boolean) };
}

/** One of a few words. */
export function oneOf<const T extends string>(values: readonly T[], fallback: T): Parser<T> {
  const choices = values.length === 2 ? values.join(" or ") : `one of ${values.join(", ")}`;
  return {
    default: code(fallback),
    parse(raw, { name }) {
      const value = raw ?? fallback;
      if (!(values as readonly string[]).includes(value)) throw new ConfigError(`${name} must be ${choices}, got "${value}"`);
      return value as T;
    },
  };
}

/**
 * An http(s) address without its trailing `/`, or undefined when unset or empty. `what` ends
 * the message: "NAME must be <what>, got ...". Such addresses are public, so the value is quoted.
 */
export function parseWebAddress(raw: string | undefined, name: string, what: string, options: { bare?: boolean } = {}): string | undefined {
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  const refused = !url || (url.protocol !== "http:" && url.protocol !== "https:") || (options.bare && (url.search || url.hash));
  if (refused) throw new ConfigError(`${name} must be ${what}, got "${raw}"`);
  return raw.replace(/\/+$/, "");
}

/** How a service's URL must look: its schemes, what to call it and an example for the message. */
export interface ServiceUrlRule {
  kind: string;
  protocols: readonly string[];
  example: string;
  /** Allowed when the host is given another way (PostgreSQL's `?host=/socket/folder`). */
  hostParam?: string;
  /** Appended to every message: what leaving the variable unset does. */
  unsetHint?: string;
}

/**
 * A service's URL, checked for its scheme and host, or undefined when unset or empty. Messages
 * never repeat the value (such URLs often hold a password), only its scheme.
 */
export function optionalServiceUrl(rule: ServiceUrlRule): Parser<string | undefined> {
  return {
    default: "unset",
    parse(raw, { name }) {
      if (!raw) return undefined;
      const wanted = `${name} must be a ${rule.kind} URL such as ${rule.example}`;
      const hint = rule.unsetHint ? `; ${rule.unsetHint}` : "";
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new ConfigError(`${wanted}; the value set is not a URL${hint}`);
      }
      // Only a scheme written as one (`mysql://`, `file:`) is named back; anything else may be a secret's start.
      const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || url.protocol === "file:" ? ` (it is a ${url.protocol} URL)` : "";
      if (!rule.protocols.includes(url.protocol)) {
        throw new ConfigError(`${wanted}, starting with ${rule.protocols.map((protocol) => `${protocol}//`).join(" or ")}${scheme}${hint}`);
      }
      if (!url.hostname && !(rule.hostParam && url.searchParams.get(rule.hostParam))) {
        throw new ConfigError(`${wanted}: it names no host${hint}`);
      }
      return raw;
    },
  };
}

export interface RateLimit {
  max: number;
  windowMs: number;
}

/** "max/window" as in 10/1m, or "off" (null: not limited). */
export function parseRateLimit(raw: string, name: string): RateLimit | null {
  if (raw.trim().toLowerCase() === "off") return null;
  const match = /^(\d+)\/(\w+)$/.exec(raw.trim());
  if (!match || Number(match[1]) < 1) throw new ConfigError(`${name} must look like 10/1m, got "${raw}"`);
  return { max: Number(match[1]), windowMs: duration(match[2]).parse(match[2], { name, mode: "development", env: {} }) };
}

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { ConfigError } from "./config-error";
import type { Env } from "./variable-parsers";

/**
 * Reads ENV_FILE, or `.env` in the working directory when there is one, into `env` before the
 * configuration is parsed: Node's own parser (as `node --env-file`), and as there and with
 * dotenv a variable already set keeps its value, so the environment overrides the file. With
 * NODE_ENV=test only a named ENV_FILE is read: the tests start servers from the project root,
 * where a developer's `.env` must not change what they test. Returns the file read, if any.
 */
export function loadEnvFile(env: Env = process.env, cwd = process.cwd()): string | undefined {
  const named = env.ENV_FILE;
  if (!named && env.NODE_ENV === "test") return undefined;
  const file = path.resolve(cwd, named || ".env");
  if (!named && !existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`ENV_FILE names ${file}, which cannot be read (${reason}): fix the path or unset ENV_FILE`, "ENV_FILE");
  }
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] === undefined) env[name] = value;
  }
  return file;
}

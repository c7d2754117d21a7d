import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { renderEnvExample } from "../scripts/env-example";
import { loadConfig } from "../src/config";
import { CONFIG_VARIABLES } from "../src/config/config-variables";
import { RATE_LIMIT_KEYS, rateLimitsWithDefaults } from "../src/limits/rate-limit-rules";

const root = path.join(__dirname, "..");
const committed = readFileSync(path.join(root, ".env.example"), "utf8");

/** `# NAME=value` lines, as the variables they would set once uncommented. */
function assignments(text: string): Record<string, string> {
  const lines = text.split("\n").filter((line) => /^# [A-Z][A-Z0-9_]*=/.test(line));
  return parseEnv(lines.map((line) => line.slice(2)).join("\n")) as Record<string, string>;
}

describe(".env.example", () => {
  it("is what the table of variables renders (run `npm run docs:config` after changing src/config/)", () => {
    expect(committed).toBe(renderEnvExample());
  });

  it("is comments only, so copying it to .env changes nothing", () => {
    expect(committed.split("\n").filter((line) => line !== "" && !line.startsWith("#"))).toEqual([]);
    expect(parseEnv(committed)).toEqual({});
  });

  it("names every variable, and every rate limit by its key", () => {
    const named = Object.keys(assignments(committed));
    const expected = [
      ...Object.keys(CONFIG_VARIABLES).filter((name) => name !== "RATE_LIMIT_<KEY>"),
      ...RATE_LIMIT_KEYS.map((key) => `RATE_LIMIT_${key}`),
    ];
    expect([...named].sort()).toEqual([...expected].sort());
  });

  // The defaults shown are the real ones: uncommenting every line gives the same configuration.
  it("gives the same configuration with every line uncommented as with none", () => {
    const secret = { APP_SECRET: "example-secret-example-secret-example-0001" };
    const uncommented = assignments(committed);
    expect(Object.values(uncommented).filter(Boolean).length).toBeGreaterThan(40);
    // Rate limits set are kept as given and filled in by the limits feature: compare what it makes of them.
    const effective = (env: Record<string, string>) => {
      const config = loadConfig(env);
      return { ...config, rateLimitOverrides: rateLimitsWithDefaults(config.rateLimitOverrides) };
    };
    expect(effective({ ...uncommented, ...secret })).toEqual(effective(secret));
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { renderConfigReference } from "../scripts/config-reference";
import { CONFIG_VARIABLES } from "../src/config/config-variables";
import type { ConfigVariable } from "../src/config/variable-parsers";

const root = path.join(__dirname, "..");

describe("docs/configuration.md", () => {
  it("is what the table of variables renders (run `npm run docs:config` after changing src/config/)", () => {
    expect(readFileSync(path.join(root, "docs", "configuration.md"), "utf8")).toBe(renderConfigReference());
  });

  // The page shows each default as text; a plain one must be the value an unset variable takes.
  it("shows for each variable the default an unset variable takes", () => {
    const mismatches: string[] = [];
    for (const [name, variable] of Object.entries(CONFIG_VARIABLES) as Array<[string, ConfigVariable<unknown>]>) {
      const plain = /^`([^`]+)`$/.exec(variable.default);
      if (!plain || plain[1].includes("PORT")) continue; // computed from another variable
      const context = { name, mode: "development" as const, env: {} };
      const unset = variable.parse(undefined, context);
      if (!isDeepStrictEqual(variable.parse(plain[1], context), unset)) mismatches.push(`${name}: shows ${variable.default}`);
    }
    expect(mismatches).toEqual([]);
  });

});

// The rules that keep the code's shape: ESLint (with the store-only rule for SQL and Prisma model
// calls, and graphql-eslint's schema rules on schema.graphql) and dependency-cruiser's layer
// rules. Each lists what breaks it, so a failure says where.
// Both run as commands: their configurations are ES modules, which jest's CommonJS loader cannot
// import. Each exits non-zero when it finds something, with the JSON report on stdout.
import path from "node:path";
import { execFileSync } from "node:child_process";

const root = path.resolve(__dirname, "..");

function reportOf(script: string, args: string[]): any {
  let report: string;
  try {
    report = execFileSync(process.execPath, [path.join(root, "node_modules", script), ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  } catch (error) {
    report = (error as { stdout: string }).stdout;
  }
  return JSON.parse(report);
}

describe("code rules", () => {
  it("ESLint finds nothing in src, test, bench, scripts, packages/client and schema.graphql", () => {
    const results: Array<{ filePath: string; messages: Array<{ line: number; ruleId: string | null; message: string }> }> = reportOf(
      "eslint/bin/eslint.js",
      ["src", "test", "bench", "scripts", "packages/client/src", "schema.graphql", "--format", "json"],
    );
    const problems = results.flatMap((result) =>
      result.messages.map((message) => `${path.relative(root, result.filePath)}:${message.line} ${message.ruleId ?? "parse"}: ${message.message}`),
    );
    expect(problems).toEqual([]);
  }, 180_000);

  it("every import follows the layer rules", () => {
    const output = reportOf("dependency-cruiser/bin/dependency-cruise.mjs", ["src", "--config", ".dependency-cruiser.cjs", "--output-type", "json"]);
    const violations = output.summary.violations.map(
      (violation: { rule: { name: string }; from: string; to: string }) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`,
    );
    expect(violations).toEqual([]);
  }, 120_000);
});

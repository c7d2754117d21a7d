import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.join(__dirname, "..");
const CODEGEN = path.join(root, "node_modules", "@graphql-codegen", "cli", "cjs", "bin.js");
const SPA_DIR = path.join(root, "examples", "spa");
const CONSOLE_DIR = path.join(root, "console");

function run(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

// The typed operations of the example app (examples/spa/src/gql), of the admin console
// (console/src/gql) and of @latchkey/client
// (packages/client/src/generated: operations and possibleTypes) come from schema.graphql and
// their documents through codegen.yml; committed files that drift from them fail here.
describe("the generated GraphQL types of the example app, the admin console and @latchkey/client", () => {
  it("are what `npm run codegen` writes from schema.graphql (run it after changing either)", async () => {
    const outcome = await run([CODEGEN, "--config", "codegen.yml", "--check"], root);
    expect({ code: outcome.code, stale: outcome.output.match(/^\s+- .+$/gm) ?? [] }).toEqual({ code: 0, stale: [] });
  });

  it("type-check the example app's use of every operation (tsc in examples/spa)", async () => {
    const tsc = path.join(SPA_DIR, "node_modules", "typescript", "bin", "tsc");
    if (!existsSync(tsc)) throw new Error("examples/spa has no node_modules: run `npm --prefix examples/spa ci` first");
    const outcome = await run([tsc, "--noEmit", "-p", "."], SPA_DIR);
    expect(outcome.output.split("\n").filter((line) => line.includes("error TS"))).toEqual([]);
    expect(outcome.code).toBe(0);
  });

  it("type-check the admin console's use of every operation (tsc in console)", async () => {
    const tsc = path.join(CONSOLE_DIR, "node_modules", "typescript", "bin", "tsc");
    if (!existsSync(tsc)) throw new Error("console has no node_modules: run `npm --prefix console ci` first");
    const outcome = await run([tsc, "--noEmit", "-p", "."], CONSOLE_DIR);
    expect(outcome.output.split("\n").filter((line) => line.includes("error TS"))).toEqual([]);
    expect(outcome.code).toBe(0);
  });

  it("type-check @latchkey/client, React bindings included (tsc in packages/client)", async () => {
    const outcome = await run([path.join(root, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "."], path.join(root, "packages", "client"));
    expect(outcome.output.split("\n").filter((line) => line.includes("error TS"))).toEqual([]);
    expect(outcome.code).toBe(0);
  });
});

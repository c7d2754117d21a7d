import { execFile } from "node:child_process";
import path from "node:path";

const root = path.join(__dirname, "..");
const CODEGEN = path.join(root, "node_modules", "@graphql-codegen", "cli", "cjs", "bin.js");

// The example app's typed operations (examples/spa/src/gql) come from schema.graphql and the
// app's documents through codegen.yml; committed files that drift from them fail here.
describe("the example app's generated GraphQL types", () => {
  it("are what `npm run codegen` writes from schema.graphql (run it after changing either)", async () => {
    const outcome = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, [CODEGEN, "--config", "codegen.yml", "--check"], { cwd: root }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
      });
    });
    expect({ code: outcome.code, stale: outcome.output.match(/^\s+- .+$/gm) ?? [] }).toEqual({ code: 0, stale: [] });
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, parse, validate } from "graphql";

const root = path.join(__dirname, "..");

/** The GraphQL block under the README's "Quick tour" heading. */
function tourBlock(): string {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const match = /^### Quick tour\n[\s\S]*?```graphql\n([\s\S]*?)```/m.exec(readme);
  if (!match) throw new Error("README.md has no graphql block under ### Quick tour");
  return match[1];
}

// The copy-paste operations people try first must keep working as the schema changes. The tour is
// short; every root field has its example in docs/api.md (test/docs_api_operations.test.ts).
describe("the README's quick tour", () => {
  it("holds only operations valid against schema.graphql", () => {
    const schema = buildSchema(readFileSync(path.join(root, "schema.graphql"), "utf8"));
    const document = parse(tourBlock());
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    expect(document.definitions.filter((definition) => definition.kind === "OperationDefinition").length).toBeGreaterThan(0);
  });

  it("starts with sign-up, sign-in and the signed-in user", () => {
    const used = new Set<string>();
    for (const definition of parse(tourBlock()).definitions) {
      if (definition.kind !== "OperationDefinition") continue;
      for (const selection of definition.selectionSet.selections) {
        if (selection.kind === "Field") used.add(selection.name.value);
      }
    }
    expect(["register", "login", "refreshSession", "me", "logout"].filter((field) => !used.has(field))).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, parse, validate, type GraphQLSchema } from "graphql";

const root = path.join(__dirname, "..");
const guide = () => readFileSync(path.join(root, "docs", "api.md"), "utf8");
const schema = (): GraphQLSchema => buildSchema(readFileSync(path.join(root, "schema.graphql"), "utf8"));

/** Every root field of schema.graphql, as `query.me`, `mutation.login`, ... */
function rootFields(schema: GraphQLSchema): string[] {
  return [
    ...Object.keys(schema.getQueryType()!.getFields()).map((name) => `query.${name}`),
    ...Object.keys(schema.getMutationType()!.getFields()).map((name) => `mutation.${name}`),
    ...Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).map((name) => `subscription.${name}`),
  ];
}

const graphqlBlocks = (markdown: string) => [...markdown.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]);

// docs/api.md is the guide to every operation; it must grow with the schema and its examples must
// keep working as the schema changes.
describe("docs/api.md", () => {
  it("has a section for every query, mutation and subscription of schema.graphql", () => {
    const headings = new Set([...guide().matchAll(/^### `(\w+)`$/gm)].map((match) => match[1]));
    expect(rootFields(schema()).filter((field) => !headings.has(field.split(".")[1]))).toEqual([]);
  });

  it("holds only examples valid against schema.graphql, one at least for every root field", () => {
    const contract = schema();
    const used = new Set<string>();
    const problems: string[] = [];
    for (const block of graphqlBlocks(guide())) {
      const document = parse(block);
      problems.push(...validate(contract, document).map((error) => `${error.message} in:\n${block}`));
      for (const definition of document.definitions) {
        if (definition.kind !== "OperationDefinition") continue;
        for (const selection of definition.selectionSet.selections) {
          if (selection.kind === "Field") used.add(`${definition.operation}.${selection.name.value}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(rootFields(contract).filter((field) => !used.has(field))).toEqual([]);
  });
});

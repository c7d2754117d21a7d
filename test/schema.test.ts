import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from "graphql";
import { buildLatchkeySchema, printLatchkeySchema } from "../src/schema";

const root = path.join(__dirname, "..");

describe("schema.graphql", () => {
  it("is what the resolvers emit (run `npm run schema:emit` after changing them)", async () => {
    const committed = readFileSync(path.join(root, "schema.graphql"), "utf8");
    expect(committed).toBe(await printLatchkeySchema());
  });
});

/** The GraphQL block of the public contract, API.md, kept beside the project. */
function contractSchema(): GraphQLSchema {
  const file = path.join(root, "..", "shared", "API.md");
  if (!existsSync(file)) throw new Error(`the contract ${file} is missing`);
  const block = /```graphql\n([\s\S]*?)```/.exec(readFileSync(file, "utf8"));
  if (!block) throw new Error("no graphql block in API.md");
  return buildSchema(block[1]);
}

const signature = (field: GraphQLField<unknown, unknown>) =>
  `${field.args.map((arg) => `${arg.name}: ${arg.type}${arg.defaultValue !== undefined ? ` = ${JSON.stringify(arg.defaultValue)}` : ""}`).join(", ")} -> ${field.type}`;

describe("the emitted schema keeps the contract's names and shapes", () => {
  let ours: GraphQLSchema;
  let contract: GraphQLSchema;
  beforeAll(async () => {
    ours = await buildLatchkeySchema();
    contract = contractSchema();
  });

  const sharedTypes = (): Array<[GraphQLNamedType, GraphQLNamedType]> =>
    Object.values(contract.getTypeMap())
      .filter((type) => !type.name.startsWith("__") && ours.getType(type.name))
      .map((type) => [type, ours.getType(type.name)!]);

  it("declares every operation it serves exactly as the contract does", () => {
    for (const rootName of ["Query", "Mutation"] as const) {
      const ourFields = (ours.getType(rootName) as any)?.getFields() ?? {};
      const contractFields = (contract.getType(rootName) as any).getFields();
      for (const [name, field] of Object.entries<GraphQLField<unknown, unknown>>(ourFields)) {
        if (!contractFields[name]) continue; // additions are allowed
        const contractField: GraphQLField<unknown, unknown> = contractFields[name];
        const named = new Set(contractField.args.map((arg) => arg.name));
        // The contract's arguments, as the contract has them; an added one only when clients may leave it out.
        const asContract = { ...field, args: field.args.filter((arg) => named.has(arg.name)) };
        expect(`${rootName}.${name}(${signature(asContract)})`).toBe(`${rootName}.${name}(${signature(contractField)})`);
        const addedRequired = field.args.filter((arg) => !named.has(arg.name) && isNonNullType(arg.type) && arg.defaultValue === undefined);
        expect(addedRequired.map((arg) => `${rootName}.${name}(${arg.name})`)).toEqual([]);
      }
    }
  });

  it("gives every contract type it defines all of the contract's fields with the same types", () => {
    expect(sharedTypes().map(([type]) => type.name)).toEqual(expect.arrayContaining(["User", "Profile", "AuthPayload", "LoginInput"]));
    for (const [theirs, mine] of sharedTypes()) {
      if (theirs.name === "Query" || theirs.name === "Mutation") continue;
      if ((isObjectType(theirs) && isObjectType(mine)) || (isInputObjectType(theirs) && isInputObjectType(mine))) {
        const mineFields = mine.getFields() as Record<string, { type: unknown }>;
        for (const [name, field] of Object.entries(theirs.getFields() as Record<string, { type: unknown }>)) {
          expect(`${theirs.name}.${name}: ${mineFields[name]?.type}`).toBe(`${theirs.name}.${name}: ${field.type}`);
        }
      } else if (isEnumType(theirs) && isEnumType(mine)) {
        expect(mine.getValues().map((v) => v.name).sort()).toEqual(expect.arrayContaining(theirs.getValues().map((v) => v.name)));
      } else if (isUnionType(theirs) && isUnionType(mine)) {
        expect(mine.getTypes().map((t) => t.name).sort()).toEqual(theirs.getTypes().map((t) => t.name).sort());
      } else {
        expect(`${mine.name} is ${mine.constructor.name}`).toBe(`${theirs.name} is ${theirs.constructor.name}`);
      }
    }
  });
});

// The schema is the API's reference: GraphiQL, codegen and every client read its descriptions.
// These checks run on the schema the server serves (not only the emitted file), and run
// graphql-eslint on schema.graphql alone, so a finding elsewhere in the code does not hide one here.
import path from "node:path";
import { execFileSync } from "node:child_process";
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from "graphql";
import { buildLatchkeySchema } from "../src/schema";
import { RATE_LIMIT_KEYS } from "../src/limits/rate-limit-rules";
import { WEBHOOK_EVENT_TYPES } from "../src/webhooks/webhook-events";

const root = path.resolve(__dirname, "..");

/** Every described element as "Type", "Type.field", "Type.field(arg)" or "Enum.VALUE", with its description. */
function describedElements(schema: GraphQLSchema): Array<[string, string | null | undefined]> {
  const elements: Array<[string, string | null | undefined]> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    elements.push([type.name, type.description]);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        elements.push([`${type.name}.${field.name}`, field.description]);
        for (const arg of field.args) elements.push([`${type.name}.${field.name}(${arg.name})`, arg.description]);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) elements.push([`${type.name}.${field.name}`, field.description]);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) elements.push([`${type.name}.${value.name}`, value.description]);
    }
  }
  return elements;
}

describe("the schema's descriptions", () => {
  let elements: Array<[string, string | null | undefined]>;
  beforeAll(async () => {
    elements = describedElements(await buildLatchkeySchema());
  });

  it("describe every type, field, argument, input field and enum value", () => {
    expect(elements.filter(([, description]) => !description?.trim()).map(([name]) => name)).toEqual([]);
  });

  it("say more than the name they describe", () => {
    const bare = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");
    const echoes = elements.filter(([name, description]) => bare(description ?? "") === bare(name.split(/[.(]/).at(-1)!));
    expect(echoes.map(([name]) => name)).toEqual([]);
  });

  it("say of every input that carries a password, code or token that it is never echoed back", () => {
    const secret = /^(password|currentPassword|newPassword|secretPasskey|refreshToken|token|code|binding)$/;
    const secretInputs = elements.filter(([name]) => {
      const input = /(?:\((\w+)\)|Input\.(\w+))$/.exec(name);
      return input !== null && secret.test(input[1] ?? input[2]);
    });
    expect(secretInputs.length).toBeGreaterThan(15);
    expect(secretInputs.filter(([, description]) => !/never echoed back/i.test(description ?? "")).map(([name]) => name)).toEqual([]);
  });

  it("list exactly the webhook event types an endpoint can subscribe to", () => {
    const lists = elements.filter(([name]) => /^Mutation\.(create|update)WebhookEndpoint\(events\)$/.test(name));
    expect(lists).toHaveLength(2);
    for (const [, description] of lists) {
      const listed = /at least one of: (.+)\.$/.exec(description ?? "")?.[1].split(", ");
      expect(listed?.slice().sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    }
  });

  it("name only rate limits that exist (RATE_LIMIT_<KEY> of limits/rate-limit-rules.ts)", () => {
    const named = elements.flatMap(([name, description]) => [...(description ?? "").matchAll(/\bRATE_LIMIT_([A-Z0-9_]+)/g)].map((match) => [name, match[1]]));
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter(([, key]) => !RATE_LIMIT_KEYS.includes(key))).toEqual([]);
  });
});

describe("graphql-eslint on schema.graphql", () => {
  it("finds nothing (descriptions, naming conventions, the recommended schema rules)", () => {
    let report: string;
    try {
      report = execFileSync(process.execPath, [path.join(root, "node_modules", "eslint", "bin", "eslint.js"), "schema.graphql", "--format", "json"], {
        cwd: root,
        encoding: "utf8",
      });
    } catch (error) {
      report = (error as { stdout: string }).stdout;
    }
    const results: Array<{ messages: Array<{ line: number; ruleId: string | null; message: string }> }> = JSON.parse(report);
    expect(results).toHaveLength(1);
    expect(results[0].messages.map((message) => `schema.graphql:${message.line} ${message.ruleId ?? "parse"}: ${message.message}`)).toEqual([]);
  }, 120_000);
});

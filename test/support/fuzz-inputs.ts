// fast-check arbitraries built from the emitted schema: for every argument, values of the right
// type, values at the edges of it, and values of the wrong type altogether.
import fc from "fast-check";
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";

const HUGE = 200_000;

/** Strings people and attackers actually send. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "\udfff\ud800",
    "🦄".repeat(300),
    "e\u0301\u0301\u0301",
    "\u202eevil",
    "\u001b[2J\u200b\ufeff\u2066x\u2069",
    // Cursors (base64url JSON) that decode to a NUL, and to a keyset position of the right shape.
    Buffer.from(JSON.stringify(["2026-01-01T00:00:00.000Z", "a\u0000b"])).toString("base64url"),
    Buffer.from(JSON.stringify(["\u0000"])).toString("base64url"),
    "' OR 1=1 --",
    "%' OR '%'='",
    "\\",
    "$where",
    "{\"$gt\":\"\"}",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "admin",
    "2024-02-30T25:61:61Z",
    "-1",
    "NaN",
    "1e309",
    "null",
    "http://169.254.169.254/latest/meta-data/",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "user@example.com",
    "a@b",
    "@@",
  ),
  fc.constant("x".repeat(HUGE)),
  fc.integer({ min: 1, max: 5000 }).map((n) => "a".repeat(n)),
);

/** Well-formed values, so that requests also get past input validation into the services. */
export const plausibleString: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9_]{2,15}$/),
  fc.stringMatching(/^[a-z]{3,10}@[a-z]{3,8}\.(com|test)$/),
  fc.uuid(),
  fc.stringMatching(/^[a-z]{4,9}-[a-z]{4,9}-[a-z]{4,9}-[0-9]{2}$/),
  fc.stringMatching(/^[0-9]{6}$/),
  fc.constantFrom("https://example.com/hook", "http://127.0.0.1:9/x", "github", "google", "USER", "ADMIN"),
);

/** Anything JSON can carry, including deep nesting. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.integer({ min: 50, max: 3000 }).map((depth) => {
    let value: unknown = "deep";
    for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
    return value;
  }),
);

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  nastyString,
);

function scalar(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case "Int":
      return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, Number.MAX_SAFE_INTEGER, 1.5));
    case "Float":
      return fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -0, 1e308));
    case "Boolean":
      return fc.boolean();
    case "DateTime":
      return fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom("1900-01-01", "9999-12-31T23:59:59Z", "0000-00-00", "yesterday", "2024-13-01T00:00:00Z"),
        nastyString,
      );
    default:
      // String, ID and custom string-shaped scalars.
      return fc.oneof({ weight: 3, arbitrary: plausibleString }, { weight: 2, arbitrary: nastyString });
  }
}

/** A value for `type`: mostly well-typed, sometimes null, sometimes of the wrong type. */
export function valueFor(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return fc.oneof({ weight: 8, arbitrary: valueFor(type.ofType, depth) }, { weight: 1, arbitrary: fc.constant(null) });
  const wellTyped = ((): fc.Arbitrary<unknown> => {
    if (isListType(type)) {
      return fc.oneof(
        fc.array(valueFor(type.ofType, depth + 1), { maxLength: 4 }),
        fc.integer({ min: 100, max: 5000 }).map((n) => Array.from({ length: n }, () => "x")),
      );
    }
    const named = getNamedType(type);
    if (isEnumType(named)) return fc.oneof(fc.constantFrom(...named.getValues().map((v) => v.name)), nastyString);
    if (isScalarType(named)) return named.name === "Upload" ? fc.oneof(fc.constant(null), nastyString) : scalar(named.name);
    if (isInputObjectType(named) && depth < 4) {
      const fields = Object.values(named.getFields());
      return fc.record(Object.fromEntries(fields.map((field) => [field.name, valueFor(field.type, depth + 1)])), {
        requiredKeys: [],
      });
    }
    return fc.constant(null);
  })();
  return fc.oneof({ weight: 6, arbitrary: wellTyped }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: wrongType }, {
    weight: 1,
    arbitrary: anyJson,
  });
}

export interface Operation {
  kind: "query" | "mutation";
  field: GraphQLField<unknown, unknown>;
}

export function operations(schema: GraphQLSchema): Operation[] {
  return [
    ...Object.values(schema.getQueryType()!.getFields()).map((field) => ({ kind: "query" as const, field })),
    ...Object.values(schema.getMutationType()!.getFields()).map((field) => ({ kind: "mutation" as const, field })),
  ];
}

/** `mutation ($a: T!, ...) { field(a: $a) { __typename } }` for one root field. */
export function documentFor({ kind, field }: Operation): string {
  const declarations = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(", ");
  const call = field.args.length ? `(${field.args.map((arg) => `${arg.name}: $${arg.name}`).join(", ")})` : "";
  const named = getNamedType(field.type);
  const selection = isScalarType(named) || isEnumType(named) ? "" : " { __typename }";
  return `${kind}${declarations ? ` (${declarations})` : ""} { ${field.name}${call}${selection} }`;
}

/** Variables for one operation, with now and then an argument left out or an unknown one added. */
export function variablesFor({ field }: Operation): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      ...Object.fromEntries(field.args.map((arg) => [arg.name, valueFor(arg.type)])),
      unexpected: wrongType,
    },
    { requiredKeys: [] },
  );
}

/**
 * Documents whose fragments fan out: each fragment spreads the next one `width` times, so a
 * walker that expands spreads on every path does width^levels work on a document of a few
 * hundred bytes. A walker that measures each fragment once does a few hundred steps.
 */

/** `query { ...F0 } fragment F0 on Query { ...F1 ...F1 } ... fragment F<n-1> on Query { __typename }` */
export function fanOut(levels: number, width: number, type = "Query", leaf = "__typename", root = (spread: string) => `query { ${spread} }`): string {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1
      ? `fragment F${i} on ${type} { ${leaf} }`
      : `fragment F${i} on ${type} { ${Array.from({ length: width }, () => `...F${i + 1}`).join(" ")} }`,
  );
  return `${root("...F0")} ${fragments.join(" ")}`;
}

/**
 * Fragments whose spreads sit under fields: T<i> spreads T<i+1> `width` times under `ofType`
 * (introspection types recurse), so the depth grows by one a level; 13 levels stay within the
 * default depth limit, so a depth check that walks every path walks all of them.
 */
export function fanOutUnderFields(levels: number, width: number): string {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1
      ? `fragment T${i} on __Type { name }`
      : `fragment T${i} on __Type { ofType { ${Array.from({ length: width }, () => `...T${i + 1}`).join(" ")} } }`,
  );
  return `query { __schema { types { ...T0 } } } ${fragments.join(" ")}`;
}

/** The same fan-out through inline fragments, with an alias in each named fragment. */
export function fanOutInline(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1
      ? `fragment F${i} on Query { __typename }`
      : `fragment F${i} on Query { ... on Query { ...F${i + 1} } ... { ...F${i + 1} } x${i}: __typename }`,
  );
  return `query { ...F0 } ${fragments.join(" ")}`;
}

/**
 * The shapes the fan-out test sends. Each is refused (cost, depth or aliases) in well under
 * 100 ms; measured on every path, each took from seconds to a minute (bench/query-shapes.ts).
 */
export const hostileShapes: Record<string, string> = {
  // The report: 23 levels, two spreads each (846 bytes): 2^22 paths.
  "fan-out 2x23 on Query": fanOut(23, 2),
  // Wider: 8 spreads a level: 8^8 paths.
  "fan-out 8x9 on Query": fanOut(9, 8),
  // On another type, below a field.
  "fan-out 2x24 on User under me": fanOut(24, 2, "User", "id", (spread) => `query { me { ${spread} } }`),
  // On a type reached through a connection.
  "fan-out 4x12 on AuditEvent": fanOut(12, 4, "AuditEvent", "id", (spread) => `query { myActivity(first: 100) { edges { node { ${spread} } } } }`),
  // Spreads under fields, 15 levels deep: 4^12 paths.
  "fan-out under fields 4x13 on __Type": fanOutUnderFields(13, 4),
  // Inline fragments and aliases on the way.
  "fan-out through inline fragments 2x22": fanOutInline(22),
};

/** n fields under one response name: OverlappingFieldsCanBeMerged compares them pairwise. */
const sameName = (n: number) => `{ ${"passwordPolicy { minLength } ".repeat(n)}}`;
const sameAlias = (n: number) => `{ ${Array.from({ length: n }, (_, i) => (i % 2 ? "a: passwordPolicy { minLength }" : "a: passwordPolicy { maxLength }")).join(" ")} }`;
const spreadTogether = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `...F${i}`).join(" ")} } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { passwordPolicy { minLength } }`).join(" ")}`;

/** Shapes quadratic in graphql-js's overlapping-fields rule, as many as fit in 1,000 tokens (the default cap), and larger. */
export const overlappingShapes: Record<string, string> = {
  "249 same-named fields (1,000 tokens)": sameName(249),
  "166 same-aliased fields (1,000 tokens)": sameAlias(166),
  "82 fragments spread together (1,000 tokens)": spreadTogether(82),
  "4,000 same-named fields (16,000 tokens)": sameName(4000),
  "1,300 fragments spread together (16,000 tokens)": spreadTogether(1300),
};

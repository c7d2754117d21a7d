/**
 * CPU time of checking hostile GraphQL documents: graphql-js's own validation rules (the slowest
 * shown), the query-limit rules and the cost measure, best of three.
 * `node -r @swc-node/register bench/query-shapes.ts [old]` (old: also the per-path walk, exponential).
 */
import "reflect-metadata";
import { Kind, parse, specifiedRules, validate, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { buildLatchkeySchema } from "../src/schema";
import { measureOperation, queryLimitRules } from "../src/graphql/query-limits.plugin";
import { hostileShapes, overlappingShapes } from "../test/support/hostile-queries";

function cpuMs(run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) map.set(d.name.value, d);
  return map;
}

/** The walk this replaces: every spread expanded on every path. */
function perPathDepth(document: DocumentNode): number {
  const fragments = fragmentsOf(document);
  const depthOf = (set: { selections: readonly any[] } | undefined, seen: Set<string>): number => {
    let deepest = 0;
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) deepest = Math.max(deepest, s.selectionSet ? 1 + depthOf(s.selectionSet, seen) : 1);
      else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(s.selectionSet, seen));
      else if (!seen.has(s.name.value)) deepest = Math.max(deepest, depthOf(fragments.get(s.name.value)?.selectionSet, new Set(seen).add(s.name.value)));
    }
    return deepest;
  };
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  return depthOf(operation.selectionSet, new Set());
}

async function main() {
  const schema = await buildLatchkeySchema();
  const old = process.argv[2] === "old";
  const limits = queryLimitRules({ maxDepth: 15, maxAliases: 15 });
  for (const [shape, text] of Object.entries({ ...hostileShapes, ...overlappingShapes })) {
    const document = parse(text, { maxTokens: 100_000 });
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    const graphqlJs = specifiedRules.map((rule) => [rule.name, cpuMs(() => validate(schema, document, [rule]))] as const);
    const slowest = graphqlJs.reduce((a, b) => (b[1] > a[1] ? b : a));
    const all = cpuMs(() => validate(schema, document));
    const ours = cpuMs(() => validate(schema, document, limits));
    const cost = cpuMs(() => measureOperation(operation, fragmentsOf(document), {}));
    const tokens = cpuMs(() => parse(text, { maxTokens: 100_000 }));
    console.log(
      `${shape}: ${text.length} bytes; parse ${tokens.toFixed(1)} ms; graphql-js rules ${all.toFixed(1)} ms (slowest ${slowest[0]} ${slowest[1].toFixed(1)} ms); ` +
        `depth+aliases ${ours.toFixed(1)} ms; cost ${cost.toFixed(1)} ms` +
        (old && shape.includes("2x23") ? `; per-path depth walk ${cpuMs(() => perPathDepth(document)).toFixed(0)} ms` : ""),
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

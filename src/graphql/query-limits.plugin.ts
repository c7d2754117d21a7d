import { GraphQLError, Kind, valueFromASTUntyped, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule, } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

/*
 * Every check here takes time linear in the document: a fragment is measured once, however many
 * spreads reach it (a few hundred bytes of fragments spreading each other twice describe 2^n paths;
 * walking every path once took seconds and held the event loop, /healthz included). Depth and
 * aliases are graphql-armor's rules, which memoise per fragment; the cost needs variable values
 * (`first: $n`), which armor's cost rule does not read, so it is measured here, after validation.
 */

/** A limit of this file refused the operation: the contract's BAD_USER_INPUT, whatever stage refused it. */
class QueryLimitRefusal extends GraphQLError {}

const refusal = (message: string, http = false) =>
  new QueryLimitRefusal(message, { extensions: { code: "BAD_USER_INPUT", ...(http ? { http: { status: 400 } } : {}) } });

// graphql-js's parser, stopped by QUERY_MAX_TOKENS (it spells it "more that"; "than" too, should that be fixed).
const TOKEN_LIMIT = /^Syntax Error: Document contains more th(?:at|an) \d+ tokens/;

/**
 * Whether an error is a refusal by a query limit (tokens, depth, aliases, cost), which the
 * contract answers as BAD_USER_INPUT although Apollo reports the first three as a parse or
 * validation failure (it wraps a validation rule's error, keeping it as originalError).
 */
export function isQueryLimitRefusal(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  return error instanceof QueryLimitRefusal || error.originalError instanceof QueryLimitRefusal || TOKEN_LIMIT.test(error.message);
}

/** armor's message carries the measured value as "found N". */
const found = (error: GraphQLError) => /found (\d+)/.exec(error.message)?.[1] ?? "too many";

/**
 * Validation rules: field nesting deeper than `maxDepth` (fragments expanded, introspection
 * included), and more than `maxAliases` aliases per operation (`__typename` ones too).
 */
export function queryLimitRules(limits: Pick<QueryLimits, "maxDepth" | "maxAliases">): ValidationRule[] {
  const report =
    (describe: (measured: string) => string) =>
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(refusal(describe(found(error))));
  return [
    maxDepthRule({
      n: limits.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: false,
      propagateOnRejection: false,
      onReject: [report((depth) => `Query is nested ${depth} levels deep; the limit is ${limits.maxDepth}`)],
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      allowList: [],
      propagateOnRejection: false,
      onReject: [report((aliases) => `The operation uses ${aliases} aliases; the limit is ${limits.maxAliases}`)],
    }),
  ];
}

// A list field asked for `first: n` costs its selection n times; other lists are assumed this long.
const UNBOUNDED_LIST_GUESS = 1;

/** What one selection set costs, at multiplier 1; each fragment's cost is computed once. */
class CostMeter {
  private readonly fragmentCosts = new Map<string, number>();

  constructor(
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  cost(selectionSet: SelectionSetNode): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += 1;
        if (!selection.selectionSet) continue;
        const first = selection.arguments?.find((argument) => argument.name.value === "first");
        const size = first ? Number(valueFromASTUntyped(first.value, this.variables)) : UNBOUNDED_LIST_GUESS;
        const factor = Number.isFinite(size) && size > 0 ? size : 1;
        total += factor * this.cost(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += this.cost(selection.selectionSet);
      } else {
        total += this.fragmentCost(selection.name.value);
      }
    }
    return total;
  }

  private fragmentCost(name: string): number {
    const known = this.fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    if (!fragment) return 0;
    // A cycle (refused by validation anyway) counts nothing on its way back.
    this.fragmentCosts.set(name, 0);
    const cost = this.cost(fragment.selectionSet);
    this.fragmentCosts.set(name, cost);
    return cost;
  }
}

/** A simple cost: one per field, times the `first` of enclosing lists. */
export function measureOperation(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): { cost: number } {
  return { cost: new CostMeter(fragments, variables).cost(operation.selectionSet) };
}

/**
 * Refuses operations whose cost is over the limit before anything executes. Runs after
 * validation, when variable values are known.
 */
export function queryLimitsPlugin(limits: Pick<QueryLimits, "maxCost">): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          }
          const { cost } = measureOperation(operation, fragments, request.variables ?? {});
          if (cost > limits.maxCost) {
            throw refusal(`The operation costs ${cost}; the limit is ${limits.maxCost}`, true);
          }
        },
      };
    },
  };
}

import {
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";

export interface QueryLimits {
  maxAliases: number;
  maxCost: number;
}

// A list field asked for `first: n` costs its selection n times; other lists are assumed this long.
const UNBOUNDED_LIST_GUESS = 1;

interface Tally {
  aliases: number;
  cost: number;
}

function measure(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  multiplier: number,
  seen: Set<string>,
  tally: Tally,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) tally.aliases += 1;
      tally.cost += multiplier;
      if (!selection.selectionSet) continue;
      const first = selection.arguments?.find((argument) => argument.name.value === "first");
      const size = first ? Number(valueFromASTUntyped(first.value, variables)) : UNBOUNDED_LIST_GUESS;
      const factor = Number.isFinite(size) && size > 0 ? size : 1;
      measure(selection.selectionSet, fragments, variables, multiplier * factor, seen, tally);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      measure(selection.selectionSet, fragments, variables, multiplier, seen, tally);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) continue;
      measure(fragment.selectionSet, fragments, variables, multiplier, new Set(seen).add(fragment.name.value), tally);
    }
  }
}

/** Aliases per operation and a simple cost (fields, times the `first` of enclosing lists). */
export function measureOperation(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): Tally {
  const tally = { aliases: 0, cost: 0 };
  measure(operation.selectionSet, fragments, variables, 1, new Set(), tally);
  return tally;
}

/**
 * Refuses operations with too many aliases or too high a cost before anything executes.
 * Runs after validation, when variable values are known.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  const refuse = (message: string) =>
    new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          }
          const tally = measureOperation(operation, fragments, request.variables ?? {});
          if (tally.aliases > limits.maxAliases) {
            throw refuse(`The operation uses ${tally.aliases} aliases; the limit is ${limits.maxAliases}`);
          }
          if (tally.cost > limits.maxCost) {
            throw refuse(`The operation costs ${tally.cost}; the limit is ${limits.maxCost}`);
          }
        },
      };
    },
  };
}

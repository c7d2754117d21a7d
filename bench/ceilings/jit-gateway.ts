// Apollo Server's only hook for replacing its executor is the gateway interface: a gateway
// hands Apollo the schema and an executor, and Apollo still parses, validates (cached per
// document) and formats. This one compiles each document once with graphql-jit and runs the
// compiled query; used by the benchmarks to measure what a compiled executor would save.
import type { GraphQLSchema, DocumentNode } from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import type { GatewayInterface, GatewayExecutor } from "@apollo/server-gateway-interface";

export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery>>();
  const executor: GatewayExecutor = async (requestContext) => {
    const { document, operationName, request, context } = requestContext;
    let byOperation = compiled.get(document);
    if (!byOperation) compiled.set(document, (byOperation = new Map()));
    const key = operationName ?? "";
    let query = byOperation.get(key);
    if (!query) {
      const result = compileQuery(schema, document, operationName ?? undefined);
      if (!isCompiledQuery(result)) return result;
      byOperation.set(key, (query = result));
    }
    return query.query(undefined, context, request.variables ?? {}) as ReturnType<GatewayExecutor>;
  };
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => {};
    },
    async stop() {},
  };
}

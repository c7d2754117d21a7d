import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";

/** The SDL committed as schema.graphql: sorted, so diffs show real changes only. */
export function printSchemaFile(schema: GraphQLSchema): string {
  const header = "# Emitted from the resolver classes by `npm run schema:emit`. Do not edit by hand.\n\n";
  return header + printSchema(lexicographicSortSchema(schema)) + "\n";
}

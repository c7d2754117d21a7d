import { lexicographicSortSchema, printSchema } from "graphql";
import { buildLatchkeySchema } from "./schema";

/** The SDL committed as schema.graphql: sorted, so diffs show real changes only. */
export async function printLatchkeySchema(): Promise<string> {
  const header = "# Emitted from the resolver classes by `npm run schema:emit`. Do not edit by hand.\n\n";
  return header + printSchema(lexicographicSortSchema(await buildLatchkeySchema())) + "\n";
}

import "reflect-metadata";
import { buildSchema, type NonEmptyArray, type PubSub } from "type-graphql";
import type { GraphQLSchema } from "graphql";
import { authChecker } from "./auth-checker";
import { DateTime } from "./scalars";

/** A change applied to the built schema, e.g. wrapping resolvers of some fields. */
export type SchemaTransform = (schema: GraphQLSchema) => GraphQLSchema | Promise<GraphQLSchema>;

export interface SchemaParts {
  /** The resolver classes the features export; the kernel knows none of them. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql's own type for resolver classes
  resolvers: NonEmptyArray<Function>;
  /** Applied in order after the build. */
  transforms?: readonly SchemaTransform[];
}

/**
 * type-graphql insists on a PubSub once any resolver has a @Subscription, even when each one
 * brings its own `subscribe` (as they all do here): topics are not used.
 */
const noTopics: PubSub = {
  publish: () => {
    throw new Error("Subscriptions here bring their own subscribe function; topics are not used");
  },
  subscribe: () => {
    throw new Error("Subscriptions here bring their own subscribe function; topics are not used");
  },
};

/** Builds an executable schema from the features' resolver classes, with the kernel's auth checker and scalars. */
export async function buildGraphQLSchema({ resolvers, transforms = [] }: SchemaParts): Promise<GraphQLSchema> {
  let schema = await buildSchema({
    resolvers,
    authChecker,
    pubSub: noTopics,
    scalarsMap: [{ type: Date, scalar: DateTime }],
    validate: { forbidUnknownValues: false },
  });
  for (const transform of transforms) schema = await transform(schema);
  return schema;
}

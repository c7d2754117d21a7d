import { defaultFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { Errors } from "../common/app-error";
import type { GraphQLContext } from "../graphql/context";

/** Applies the rate-limit rules of one root field call (each alias is its own call). */
async function enforceRateLimits(args: Record<string, unknown>, context: GraphQLContext, info: GraphQLResolveInfo): Promise<void> {
  const { rateLimiter, metrics } = context.services;
  for (const rule of rateLimiter.rulesFor(info.fieldName)) {
    const retryAfter = await rateLimiter.hit(rule, { ip: context.origin.ip, userId: context.viewer?.user.id }, args, info);
    if (retryAfter !== undefined) {
      metrics.rateLimited.inc({ field: info.fieldName });
      throw Errors.rateLimited(retryAfter);
    }
  }
}

/**
 * Wraps the resolvers of the root Query and Mutation fields that have a rule, before their
 * own checks run. Only those: a middleware on every field (type-graphql's global ones) would
 * turn each plain property of every result into an awaited call.
 */
export function withRateLimits(schema: GraphQLSchema, hasRules: (fieldName: string) => boolean): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      if (!hasRules(field.name)) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = async (source, args, context: GraphQLContext, info) => {
        await enforceRateLimits(args, context, info);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}

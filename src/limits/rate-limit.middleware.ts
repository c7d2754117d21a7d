import type { MiddlewareFn } from "type-graphql";
import { Errors } from "../common/app-error";
import type { GraphQLContext } from "../graphql/context";

/** Applies the rate-limit rules to root Query and Mutation fields, alias by alias. */
export const rateLimitMiddleware: MiddlewareFn<GraphQLContext> = async ({ args, context, info }, next) => {
  const parent = info.parentType.name;
  if (parent !== "Query" && parent !== "Mutation") return next();
  const { rateLimiter, metrics } = context.services;
  for (const rule of rateLimiter.rulesFor(info.fieldName)) {
    const retryAfter = await rateLimiter.hit(rule, { ip: context.origin.ip, userId: context.viewer?.user.id }, args, info);
    if (retryAfter !== undefined) {
      metrics.rateLimited.inc({ field: info.fieldName });
      throw Errors.rateLimited(retryAfter);
    }
  }
  return next();
};

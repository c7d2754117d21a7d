import { Extensions } from "type-graphql";
import { GraphQLObjectType, defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import { Errors } from "../common/app-error";
import type { GraphQLContext } from "./context";
import type { Viewer } from "./viewer";

/**
 * The scopes a personal access token can carry, each naming the root fields it opens. A token
 * opens nothing else (default-deny): a root field without a @TokenScope mark answers FORBIDDEN
 * with extensions.reason TOKEN_SCOPE to a request authenticated by a token.
 */
export const TOKEN_SCOPES = {
  /** The token owner's own account, sessions and activity (me, viewer, mySessions, ...). */
  "read:profile": "Read the token owner's account, sessions and activity",
  /** Profile edits: updateProfile (not the e-mail address), the avatar, generateFakeProfile. */
  "write:profile": "Change the token owner's profile and avatar (not the e-mail address)",
  /** Staff reads (accounts, their sessions, the audit trail), only while the owner is MODERATOR or ADMIN. */
  "admin:read": "Read accounts and the audit trail as a MODERATOR or ADMIN",
} as const;
export type TokenScopeName = keyof typeof TOKEN_SCOPES;

/** The scopes only MODERATOR and ADMIN may put in a token. */
export const STAFF_TOKEN_SCOPES: ReadonlySet<TokenScopeName> = new Set(["admin:read"]);

const EXTENSION = "tokenScope";

/** Marks a root field as open to personal access tokens carrying `scope` (its other checks still apply). */
export function TokenScope(scope: TokenScopeName): MethodDecorator & PropertyDecorator {
  return Extensions({ [EXTENSION]: scope });
}

/** FORBIDDEN / PERSONAL_ACCESS_TOKEN for a viewer a personal access token authenticated: sensitive mutations need a session. */
export function refusePersonalAccessToken(viewer: Pick<Viewer, "personalAccessToken"> | undefined): void {
  if (viewer?.personalAccessToken) {
    throw Errors.forbidden("Not allowed with a personal access token: sign in for this", { reason: "PERSONAL_ACCESS_TOKEN" });
  }
}

function guard(scope: unknown, fieldName: string, resolve: GraphQLFieldResolver<unknown, GraphQLContext>): GraphQLFieldResolver<unknown, GraphQLContext> {
  return (source, args, context, info) => {
    const token = context?.viewer?.personalAccessToken;
    if (token && (typeof scope !== "string" || !token.scopes.includes(scope))) {
      throw typeof scope === "string"
        ? Errors.forbidden(`This personal access token lacks the ${scope} scope`, { reason: "TOKEN_SCOPE", scope })
        : Errors.forbidden(`${fieldName} is not open to personal access tokens`, { reason: "TOKEN_SCOPE" });
    }
    return resolve(source, args, context, info);
  };
}

/**
 * Wraps every root field (query, mutation, subscription) with the token-scope check: a request
 * authenticated by a personal access token reaches a field only when the field is marked with a
 * scope the token carries. Apply last, so the check runs before anything else the field does.
 */
export function withTokenScopes(schema: GraphQLSchema): GraphQLSchema {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((type): type is GraphQLObjectType => type instanceof GraphQLObjectType);
  for (const root of roots) {
    for (const field of Object.values(root.getFields())) {
      const scope = field.extensions?.[EXTENSION];
      if (root === schema.getSubscriptionType()) {
        if (field.subscribe) field.subscribe = guard(scope, field.name, field.subscribe);
      } else {
        field.resolve = guard(scope, field.name, field.resolve ?? defaultFieldResolver);
      }
    }
  }
  return schema;
}

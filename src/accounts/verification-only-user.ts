import { defaultFieldResolver, getNullableType, isListType, isNonNullType, isObjectType, type GraphQLSchema } from "graphql";
import { Errors } from "../common/app-error";
import type { User } from "./user.types";

const VERIFICATION_ONLY = Symbol("verificationOnly");

/** What a User handed out this way still shows: the answer to "which account, and is it verified now". */
const VISIBLE = new Set(["id", "emailVerified"]);

/**
 * The account a verification link verified, as answered to a caller who is not signed in as
 * that account (the link may have been read from a shared inbox, a proxy log or a Referer):
 * only `id` and `emailVerified`. See withVerificationOnlyUsers for the other fields.
 */
export function verificationOnly<T extends User>(user: T): T {
  return { ...user, [VERIFICATION_ONLY]: true };
}

const isVerificationOnly = (source: unknown): boolean =>
  typeof source === "object" && source !== null && (source as Record<symbol, unknown>)[VERIFICATION_ONLY] === true;

/**
 * Hides every field of a verificationOnly User but `id` and `emailVerified`, whichever feature
 * adds the field: a nullable field answers null, a list is empty, an object (the profile) has
 * nothing in it, and a non-null scalar (username, role, dates, flags) is refused with
 * FORBIDDEN, reason VERIFICATION_ONLY, rather than answered with an invented value. Wrapping
 * the User type's resolvers keeps every other object's fields untouched.
 */
export function withVerificationOnlyUsers(schema: GraphQLSchema): GraphQLSchema {
  const type = schema.getType("User");
  if (!isObjectType(type)) return schema;
  for (const field of Object.values(type.getFields())) {
    if (VISIBLE.has(field.name)) continue;
    const resolve = field.resolve ?? defaultFieldResolver;
    const nullable = !isNonNullType(field.type);
    const inner = getNullableType(field.type);
    const hidden = (): unknown => {
      if (nullable) return null;
      if (isListType(inner)) return [];
      if (isObjectType(inner)) return {};
      throw Errors.forbidden("Sign in as this account to read it: verifyEmail answers only id and emailVerified to anyone else", {
        reason: "VERIFICATION_ONLY",
      });
    };
    field.resolve = (source, args, context, info) => (isVerificationOnly(source) ? hidden() : resolve(source, args, context, info));
  }
  return schema;
}

import "reflect-metadata";
import { buildSchema } from "type-graphql";
import type { GraphQLSchema } from "graphql";
import { authChecker } from "./auth-checker";
import { DateTime } from "./scalars";
import { AccountResolver } from "../accounts/account.resolver";
import { UserFieldsResolver } from "../accounts/user-fields.resolver";
import { AuthResolver } from "../sessions/auth.resolver";
import { PasswordPolicyResolver } from "../credentials/password-policy.resolver";
import { AdminResolver } from "../admin/admin.resolver";
import { AuditResolver } from "../audit/audit.resolver";

export const resolvers = [AccountResolver, UserFieldsResolver, AuthResolver, PasswordPolicyResolver, AdminResolver, AuditResolver] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the resolver classes. */
export function buildLatchkeySchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    authChecker,
    scalarsMap: [{ type: Date, scalar: DateTime }],
    validate: { forbidUnknownValues: false },
  });
  return built;
}

import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildGraphQLSchema } from "./graphql/build-schema";
import { printSchemaFile } from "./graphql/print-schema";
import { withRateLimits } from "./limits/rate-limit.middleware";
import { RATE_LIMIT_RULES } from "./limits/rate-limit-rules";
import { AccountResolver } from "./accounts/account.resolver";
import { UserFieldsResolver } from "./accounts/user-fields.resolver";
import { withVerificationOnlyUsers } from "./accounts/verification-only-user";
import { AuthResolver } from "./sign-in/auth.resolver";
import { PasswordPolicyResolver } from "./credentials/password-policy.resolver";
import { PasswordChangeResolver } from "./credentials/password-change.resolver";
import { SessionResolver } from "./sessions/session.resolver";
import { ReauthenticationResolver } from "./sessions/reauthentication.resolver";
import { SecretPasskeyResolver } from "./credentials/secret-passkey.resolver";
import { RecoveryResolver } from "./recovery/recovery.resolver";
import { ProfileResolver } from "./accounts/profile.resolver";
import { AvatarResolver } from "./accounts/avatar.resolver";
import { AccountDeletionResolver } from "./accounts/account-deletion.resolver";
import { TwoFactorEnrollmentResolver } from "./mfa/two-factor-enrollment.resolver";
import { TwoFactorSettingsResolver } from "./mfa/two-factor-settings.resolver";
import { TwoFactorLoginResolver } from "./mfa/two-factor-login.resolver";
import { OAuthResolver } from "./oauth/oauth.resolver";
import { LinkedProvidersResolver } from "./oauth/linked-providers.resolver";
import { PasskeyResolver } from "./passkeys/passkey.resolver";
import { PasskeysFieldResolver } from "./passkeys/passkeys-field.resolver";
import { AdminResolver } from "./admin/admin.resolver";
import { AuditResolver } from "./audit/audit.resolver";
import { WebhookResolver } from "./webhooks/webhook.resolver";

export const resolvers = [
  AccountResolver,
  UserFieldsResolver,
  AuthResolver,
  SessionResolver,
  ReauthenticationResolver,
  SecretPasskeyResolver,
  PasswordPolicyResolver,
  PasswordChangeResolver,
  RecoveryResolver,
  ProfileResolver,
  AvatarResolver,
  AccountDeletionResolver,
  TwoFactorEnrollmentResolver,
  TwoFactorSettingsResolver,
  TwoFactorLoginResolver,
  OAuthResolver,
  LinkedProvidersResolver,
  PasskeyResolver,
  PasskeysFieldResolver,
  AdminResolver,
  AuditResolver,
  WebhookResolver,
] as const;

/** Applied in order to the built schema. */
const transforms = [
  withVerificationOnlyUsers,
  (schema: GraphQLSchema) => withRateLimits(schema, (fieldName) => (RATE_LIMIT_RULES[fieldName]?.length ?? 0) > 0),
];

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the resolver classes and shared by every server in it. */
export function buildLatchkeySchema(): Promise<GraphQLSchema> {
  built ??= buildGraphQLSchema({ resolvers: [...resolvers], transforms });
  return built;
}

/** The SDL committed as schema.graphql. */
export async function printLatchkeySchema(): Promise<string> {
  return printSchemaFile(await buildLatchkeySchema());
}

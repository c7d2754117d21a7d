import "reflect-metadata";
import { buildSchema } from "type-graphql";
import type { GraphQLSchema } from "graphql";
import { authChecker } from "./auth-checker";
import { withRateLimits } from "../limits/rate-limit.middleware";
import { RATE_LIMIT_RULES } from "../limits/rate-limit-rules";
import { DateTime } from "./scalars";
import { AccountResolver } from "../accounts/account.resolver";
import { UserFieldsResolver } from "../accounts/user-fields.resolver";
import { withVerificationOnlyUsers } from "../accounts/verification-only-user";
import { AuthResolver } from "../sign-in/auth.resolver";
import { PasswordPolicyResolver } from "../credentials/password-policy.resolver";
import { PasswordChangeResolver } from "../credentials/password-change.resolver";
import { SessionResolver } from "../sessions/session.resolver";
import { ReauthenticationResolver } from "../sessions/reauthentication.resolver";
import { SecretPasskeyResolver } from "../credentials/secret-passkey.resolver";
import { RecoveryResolver } from "../recovery/recovery.resolver";
import { ProfileResolver } from "../accounts/profile.resolver";
import { AvatarResolver } from "../accounts/avatar.resolver";
import { AccountDeletionResolver } from "../accounts/account-deletion.resolver";
import { TwoFactorEnrollmentResolver } from "../mfa/two-factor-enrollment.resolver";
import { TwoFactorSettingsResolver } from "../mfa/two-factor-settings.resolver";
import { TwoFactorLoginResolver } from "../mfa/two-factor-login.resolver";
import { OAuthResolver } from "../oauth/oauth.resolver";
import { LinkedProvidersResolver } from "../oauth/linked-providers.resolver";
import { PasskeyResolver } from "../passkeys/passkey.resolver";
import { PasskeysFieldResolver } from "../passkeys/passkeys-field.resolver";
import { AdminResolver } from "../admin/admin.resolver";
import { AuditResolver } from "../audit/audit.resolver";
import { WebhookResolver } from "../webhooks/webhook.resolver";

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

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the resolver classes. */
export function buildLatchkeySchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    authChecker,
    scalarsMap: [{ type: Date, scalar: DateTime }],
    validate: { forbidUnknownValues: false },
  })
    .then((schema) => withVerificationOnlyUsers(schema))
    .then((schema) => withRateLimits(schema, (fieldName) => (RATE_LIMIT_RULES[fieldName]?.length ?? 0) > 0));
  return built;
}

import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildGraphQLSchema } from "./graphql/build-schema";
import { printSchemaFile } from "./graphql/print-schema";
import { withRateLimits, RATE_LIMIT_RULES } from "./limits";
import { AccountResolver, UserFieldsResolver, withVerificationOnlyUsers, ProfileResolver, AvatarResolver, AccountDeletionResolver } from "./accounts";
import { AuthResolver, RegistrationResolver } from "./sign-in";
import { PasswordPolicyResolver, PasswordChangeResolver, SecretPasskeyResolver } from "./credentials";
import { SessionResolver, ReauthenticationResolver, ImpersonatedByResolver, ActiveOrganizationResolver } from "./sessions";
import { RecoveryResolver } from "./recovery";
import { TwoFactorEnrollmentResolver, TwoFactorSettingsResolver, TwoFactorLoginResolver } from "./mfa";
import { OAuthResolver, LinkedProvidersResolver } from "./oauth";
import { PasskeyResolver, PasskeysFieldResolver } from "./passkeys";
import { EmailCodeResolver } from "./email-code";
import { AdminResolver, ImpersonationResolver } from "./admin";
import { AuditResolver } from "./audit";
import { WebhookResolver } from "./webhooks";
import { SessionEventsResolver } from "./session-events";
import { OAuthClientResolver, AuthorizedAppsResolver } from "./provider";
import { MagicLinkResolver } from "./magic-link";
import { OrganizationResolver, OrganizationFieldsResolver, UserOrganizationsResolver } from "./organizations";
import { PersonalAccessTokenResolver } from "./personal-access-tokens";
import { withTokenScopes } from "./graphql/token-scope";

export const resolvers = [
  AccountResolver,
  RegistrationResolver,
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
  EmailCodeResolver,
  AdminResolver,
  ImpersonationResolver,
  ImpersonatedByResolver,
  AuditResolver,
  WebhookResolver,
  SessionEventsResolver,
  OAuthClientResolver,
  AuthorizedAppsResolver,
  OrganizationResolver,
  OrganizationFieldsResolver,
  UserOrganizationsResolver,
  ActiveOrganizationResolver,
  PersonalAccessTokenResolver,
  MagicLinkResolver,
] as const;

/**
 * type-graphql builds the root types itself and takes no description for them; the schema reads
 * as documentation from its first line, so they get one here.
 */
function withRootDescriptions(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) query.description = "What can be read: the signed-in user (me; viewer, null when signed out) with their sessions and activity, the password policy and sign-in providers, and, for MODERATOR and ADMIN, accounts by id and by search; for ADMIN, the audit trail, webhooks and OpenID Provider clients; the apps a user let sign them in.";
  const subscription = schema.getSubscriptionType();
  if (subscription) subscription.description = "What can be followed live, over WebSocket only (graphql-ws at /graphql): the signed-in session's own events and, for MODERATOR and ADMIN, an account's sessions.";
  if (mutation) mutation.description = "What can be changed: sign-up, sign-in and sessions, the account's profile and secrets, recovery, second factors, passkeys, linked providers, and, for ADMIN, roles, users, webhooks and OpenID Provider clients; withdrawing an app's consent.";
  return schema;
}

/** Applied in order to the built schema. */
const transforms = [
  withRootDescriptions,
  withVerificationOnlyUsers,
  (schema: GraphQLSchema) => withRateLimits(schema, (fieldName) => (RATE_LIMIT_RULES[fieldName]?.length ?? 0) > 0),
  // Last, so a personal access token's scope is checked before anything a field does.
  withTokenScopes,
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

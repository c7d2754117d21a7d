// ESLint for the TypeScript sources, run by `npm test` (test/code_rules.test.ts).
import path from "node:path";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import graphqlPlugin from "@graphql-eslint/eslint-plugin";

// Every table's statements live in its feature's store (`*.store.ts`) or in db/ (the driver and
// migration plumbing). Anywhere else these are errors: they are how SQL and column lists drift.
const MODELS = [
  "user", "profile", "credential", "session", "refreshToken", "revokedToken", "signingKey", "auditEvent",
  "loginFailure", "twoFactor", "recoveryCode", "oneTimeToken", "oAuthAccount", "oAuthFlow",
  "webAuthnCredential", "passkeyChallenge", "outboxMail", "webhookEndpoint", "webhookDelivery",
  "emailChangeRequest", "knownDevice", "avatarImage", "oAuthClient", "oidcPayload", "organization", "membership", "invitation",
  "personalAccessToken",
  "emailCodeChallenge",
  "magicLink",
];
const MODEL_CALLS = [
  "findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "create", "createMany",
  "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany",
  "count", "aggregate", "groupBy",
];
const SQL_TEXT = "/\\b(SELECT\\s|INSERT\\s+INTO|UPDATE\\s+\"|DELETE\\s+FROM|ON\\s+CONFLICT|FOR\\s+UPDATE)/";
const storeOnly = [
  {
    selector: `CallExpression > MemberExpression.callee[property.name=/^(${MODEL_CALLS.join("|")})$/] > MemberExpression.object[property.name=/^(${MODELS.join("|")})$/]`,
    message: "Prisma model calls belong in the feature's store (*.store.ts).",
  },
  {
    selector: "MemberExpression[property.name=/^\\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)$/]",
    message: "Raw statements belong in the feature's store (*.store.ts).",
  },
  {
    selector: "MemberExpression[object.name='Prisma'][property.name=/^(sql|raw|join)$/]",
    message: "SQL fragments belong in the feature's store (*.store.ts).",
  },
  { selector: `TemplateElement[value.raw=${SQL_TEXT}]`, message: "SQL text belongs in the feature's store (*.store.ts)." },
  { selector: `Literal[value=${SQL_TEXT}]`, message: "SQL text belongs in the feature's store (*.store.ts)." },
];

export default tseslint.config(
  {
    ignores: [
      "dist/**", "coverage/**", "node_modules/**", "src/generated/**", "packages/*/dist/**", "packages/*/src/generated/**", "examples/**", "data/**", ".data/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // Unused names are errors, except the ones that say they are unused on purpose.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/**/*.store.ts", "src/db/**"],
    rules: { "no-restricted-syntax": ["error", ...storeOnly] },
  },
  {
    // Tests and benchmarks read GraphQL responses, whose shape each query decides: `any` there
    // stands for "JSON as the server sent it", which the assertions then check.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // The emitted schema is the API's reference: every definition carries a description, and names
    // follow one scheme. The recommended schema rules apply, adjusted where the contract (API.md)
    // fixes the names and shapes.
    files: ["schema.graphql"],
    languageOptions: {
      parser: graphqlPlugin.parser,
      parserOptions: { graphQLConfig: { schema: path.join(import.meta.dirname, "schema.graphql") } },
    },
    plugins: { "@graphql-eslint": graphqlPlugin },
    rules: {
      ...graphqlPlugin.configs["flat/schema-recommended"].rules,
      "@graphql-eslint/require-description": [
        "error",
        {
          types: true,
          rootField: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
        },
      ],
      "@graphql-eslint/naming-convention": [
        "error",
        {
          types: "PascalCase",
          FieldDefinition: "camelCase",
          InputValueDefinition: "camelCase",
          Argument: "camelCase",
          EnumValueDefinition: "UPPER_CASE",
          "FieldDefinition[parent.name.value=Query]": { forbiddenPrefixes: ["query", "get"], forbiddenSuffixes: ["Query"] },
          "FieldDefinition[parent.name.value=Mutation]": { forbiddenPrefixes: ["mutation"], forbiddenSuffixes: ["Mutation"] },
          "EnumTypeDefinition,EnumTypeExtension": { forbiddenPrefixes: ["Enum"], forbiddenSuffixes: ["Enum"] },
          "UnionTypeDefinition,UnionTypeExtension": { forbiddenPrefixes: ["Union"], forbiddenSuffixes: ["Union"] },
          "ObjectTypeDefinition,ObjectTypeExtension": { forbiddenPrefixes: ["Type"], forbiddenSuffixes: ["Type"] },
        },
      ],
      // Entities carry `id: ID!`. The exceptions are values, not entities, whose shapes API.md
      // fixes: connection plumbing, one-time answers of a mutation (payloads, starts, secrets,
      // codes, challenges), the profile that is part of its User, and a configured provider
      // whose key is the String id the contract settled.
      "@graphql-eslint/strict-id-in-types": [
        "error",
        {
          acceptedIdNames: ["id"],
          acceptedIdTypes: ["ID"],
          exceptions: {
            suffixes: ["Connection", "Edge", "Payload", "Start", "WithSecret"],
            types: ["PageInfo", "PasswordPolicy", "Profile", "RecoveryCodes", "TotpEnrollment", "TwoFactorChallenge", "OAuthProvider", "SessionEvent", "EmailCodeChallenge"],
          },
        },
      ],
      // API.md names the field User.username; the rule would want it renamed.
      "@graphql-eslint/no-typename-prefix": "off",
      // Lists that can grow are Relay connections, paged forward with first/after (API.md).
      // relay-page-info stays off: the contract's PageInfo has no hasPreviousPage/startCursor.
      "@graphql-eslint/relay-connection-types": "error",
      "@graphql-eslint/relay-arguments": ["error", { includeBoth: false }],
      // Edges carry any node (nodes are not a Node interface), and short lists stay plain lists.
      "@graphql-eslint/relay-edge-types": ["error", { withEdgeSuffix: true, shouldImplementNode: false, listTypeCanWrapOnlyEdgeType: false }],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", exports: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);

// ESLint for the TypeScript sources, run by `npm test` (test/code_rules.test.ts).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Every table's statements live in its feature's store (`*.store.ts`) or in db/ (the driver and
// migration plumbing). Anywhere else these are errors: they are how SQL and column lists drift.
const MODELS = [
  "user", "profile", "credential", "session", "refreshToken", "revokedToken", "signingKey", "auditEvent",
  "loginFailure", "twoFactor", "recoveryCode", "oneTimeToken", "oAuthAccount", "oAuthFlow",
  "webAuthnCredential", "passkeyChallenge", "outboxMail", "webhookEndpoint", "webhookDelivery",
  "emailChangeRequest", "knownDevice",
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
      "dist/**", "coverage/**", "node_modules/**", "src/generated/**", "examples/**", "data/**", ".data/**",
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
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", exports: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);

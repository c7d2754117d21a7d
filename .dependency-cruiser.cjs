// The layer rules of src/, run by `npm test` (test/code_rules.test.ts). docs/architecture.md
// explains them. A folder may import only from its own layer's lower neighbours, so folders
// cannot form a cycle; features talk to each other through the index.ts each one exports.

// Bottom to top. A folder imports only from folders in earlier layers (and its own).
const LAYERS = [
  ["common", "db", "generated", "config", "tracing"],
  ["graphql"],
  ["audit", "metrics"],
  ["limits", "mail", "webhooks"],
  ["notices"],
  ["credentials"],
  ["accounts"],
  ["organizations"],
  ["sessions"],
  ["sign-in", "personal-access-tokens"],
  ["mfa", "passkeys", "oauth", "email-code", "magic-link"],
  ["recovery"],
  ["provider"],
  ["session-events"],
  ["admin"],
];
const FEATURES = LAYERS.slice(2).flat();
const either = (names) => `(${names.join("|")})`;

const layerRules = LAYERS.flatMap((layer, index) => {
  const above = LAYERS.slice(index + 1).flat();
  if (above.length === 0) return [];
  return [
    {
      name: `layer-${layer.join("-")}`,
      comment: `${layer.join(", ")} may not import from a layer above: ${above.join(", ")}`,
      severity: "error",
      from: { path: `^src/${either(layer)}/` },
      to: { path: `^src/${either(above)}/` },
    },
  ];
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "no-folder-cycle",
      comment: "Two modules that import each other, directly or around a loop.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "lower-layers-know-no-composition",
      comment: "Features and the kernel never import the composition root (src/*.ts); config.ts and logger.ts sit below every feature.",
      severity: "error",
      from: { path: `^src/${either(LAYERS.flat())}/` },
      to: { path: "^src/[^/]+\\.ts$", pathNot: "^src/(config|logger)\\.ts$" },
    },
    {
      name: "config-imports-no-feature",
      comment: "config.ts and config/ parse the environment; features read their part of it, not the other way round.",
      severity: "error",
      from: { path: "^src/(config\\.ts|logger\\.ts|config/)" },
      to: { path: `^src/${either(FEATURES)}/` },
    },
    {
      name: "feature-through-its-index",
      comment: "A feature uses another only through what that one exports for others (its index.ts).",
      severity: "error",
      from: { path: `^src/${either(FEATURES)}/` },
      to: { path: `^src/${either(FEATURES)}/`, pathNot: ["^src/$1/", `^src/${either(FEATURES)}/index\\.ts$`] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["cjs", "es6"],
  },
};

// Tests run over real HTTP against real databases (embedded PGlite and PostgreSQL).
const esmPackages = [
  "jose",
  "graphql-upload",
  "fs-capacitor",
  "@electric-sql/pglite",
  "@faker-js/faker",
  "@scure",
  "@noble",
  "@prisma/schema-engine-wasm",
  "pglite-prisma-adapter",
  "openid-client",
  "oauth4webapi",
  "oidc-provider",
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.(t|j|mj|cj)s$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: "es2022",
          keepClassNames: true,
        },
        module: { type: "commonjs" },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join("|")})/)`],
  moduleFileExtensions: ["ts", "js", "mjs", "cjs", "json"],
  setupFiles: ["reflect-metadata"],
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
  maxWorkers: 2,
  testTimeout: 60000,
};

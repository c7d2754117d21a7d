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
  // Each file starts servers (PGlite instances among them) inside the worker, and a worker's heap
  // grows over the ~200 files until V8 thrashes and dies near 4 GB (seen in a full run): a worker
  // holding more than this after a file is replaced by a fresh one.
  workerIdleMemoryLimit: "2GB",
  testTimeout: 60000,
};

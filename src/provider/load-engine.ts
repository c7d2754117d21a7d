import type { Logger } from "../logger";

/** oidc-provider's module: the engine class (default export) and its error classes. */
export type OidcEngineModule = typeof import("oidc-provider");

/**
 * Loads oidc-provider when the provider starts, not when the services are built: the operator
 * commands (admin, migrate, keys:rotate) build them too and never serve. On import the library
 * prints a warning about Node.js versions before 22 LTS to stderr (this project supports 20.19
 * and runs its suite there); plain text there would break the JSON-lines log and the commands'
 * output, so whatever it warns while loading is logged as a JSON warning instead.
 */
export async function loadEngine(logger: Logger): Promise<OidcEngineModule> {
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(" "));
  try {
    return await import("oidc-provider");
  } finally {
    console.warn = warn;
    for (const warning of warnings) logger.warn({ source: "oidc-provider" }, warning);
  }
}

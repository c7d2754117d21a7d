import { readFileSync } from "node:fs";
import path from "node:path";

// Prisma's schema engine compiled to WebAssembly: the same engine `prisma migrate` uses,
// loaded by hand because the CLI's native binary cannot be downloaded on offline machines.
// This mirrors what the package's own ESM entry does, so it also works from CommonJS/Jest.

// The wasm-bindgen glue is untyped JavaScript: its exports are looked up by name.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Glue = Record<string, any>;
let glue: Glue | undefined;

function loadGlue(): Glue {
  if (glue) return glue;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bg: Glue = require("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  const imports: Record<string, Record<string, unknown>> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    imports[entry.module] ??= {};
    const binding = bg[entry.name];
    // The engine arms 10 s timers (lock waits) that would hold the process open after it is done.
    imports[entry.module][entry.name] = entry.name.startsWith("__wbg_setTimeout_")
      ? (...args: unknown[]) => {
          const timer = binding(...args);
          timer?.unref?.();
          return timer;
        }
      : binding;
  }
  const instance = new WebAssembly.Instance(module, imports as WebAssembly.Imports);
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  glue = bg;
  return bg;
}

export interface SchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  applyMigrations(params: unknown): Promise<{ appliedMigrationNames: string[] }>;
  free(): void;
}

export async function openSchemaEngine(
  datamodel: { path: string; content: string },
  adapterFactory: unknown,
  onLog: (message: string) => void,
): Promise<SchemaEngine> {
  const bg = loadGlue();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { bindMigrationAwareSqlAdapterFactory } = require("@prisma/driver-adapter-utils");
  return bg.SchemaEngine.new(
    { datamodels: [[datamodel.path, datamodel.content]] },
    (message: string) => onLog(message),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

export const noFilters = { externalTables: [], externalEnums: [] };

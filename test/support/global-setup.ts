import { ensurePgliteTemplate } from "./pglite-template";

/** Once per test run, before any worker starts: the migrated embedded-database template. */
export default async function globalSetup(): Promise<void> {
  await ensurePgliteTemplate();
}

// Makes a new current signing key of each kind: Ed25519 for access tokens, RSA for the
// OpenID Provider's ID tokens. Tokens signed by the previous keys keep verifying
// until they expire; running servers pick the new key up at their next key refresh. On the
// embedded database (no DATABASE_URL) it refuses while a server has DATA_DIR open.
import "reflect-metadata";
import { loadConfig, loadEnvFile } from "../src/config";
import { createLogger } from "../src/logger";
import { openConfiguredDatabase } from "../src/db/database";
import { applyMigrations } from "../src/db/migrate";
import { createServices } from "../src/services";
import { systemClock } from "../src/common/clock";
import { exitOnKnownFailure } from "./known-failures";

async function main() {
  loadEnvFile();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config, { poolSize: 2 });
  try {
    await applyMigrations(database.adapterFactory, logger);
    const services = createServices(database, config, systemClock, logger);
    await services.signingKeys.init();
    const kid = await services.signingKeys.rotate();
    logger.info(
      { kid, published: services.signingKeys.jwks().keys.length, providerKeys: services.signingKeys.providerJwks().keys.length },
      "signing keys rotated",
    );
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  exitOnKnownFailure(error);
  createLogger("info").fatal({ err: error }, "key rotation failed");
  process.exit(1);
});

// Creates N users with fake profiles for demos and load tests:
//   npm run seed -- --users 10000 [--seed 42] [--password "..."] [--batch 1000]
// Uses DATABASE_URL, or the embedded database in DATA_DIR while no server has it open (it
// refuses otherwise). Every seeded user gets the same password, hashed ONCE and reused.
import "reflect-metadata";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { loadConfig, loadEnvFile } from "../src/config";
import { createLogger } from "../src/logger";
import { openDatabase } from "../src/db/database";
import { applyMigrations } from "../src/db/migrate";
import { PasswordHasher } from "../src/credentials/password-hasher";
import { normalizePassword } from "../src/credentials/password-policy";
import { createFaker, fakeProfile } from "../src/accounts/fake-profile";
import { USERNAME_PATTERN, normalizeEmail, normalizeUsername } from "../src/accounts/identity-rules";
import { AuditEventType } from "../src/audit/audit.service";
import { exitOnKnownFailure } from "./known-failures";

const DEFAULT_PASSWORD = "seeded-account-password";
const EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]; // reserved: no mail reaches anyone

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number, got "${raw}"`);
  return value;
}

function options() {
  const { values } = parseArgs({
    options: {
      users: { type: "string", short: "n" },
      seed: { type: "string" },
      password: { type: "string" },
      batch: { type: "string" },
    },
  });
  return {
    users: positiveInt("users", values.users, 100),
    seed: values.seed === undefined ? undefined : positiveInt("seed", values.seed, 0),
    password: values.password ?? DEFAULT_PASSWORD,
    batch: Math.min(positiveInt("batch", values.batch, 1000), 5000),
  };
}

async function main() {
  const opts = options();
  loadEnvFile();
  const config = loadConfig();
  const database = await openDatabase({
    url: config.databaseUrl,
    pgliteDataDir: config.databaseUrl ? undefined : path.join(config.dataDir, "pglite"),
  });
  try {
    await applyMigrations(database.adapterFactory, createLogger("warn"));
    const prisma = database.prisma;
    const faker = createFaker(opts.seed);
    // Makes this run's usernames unique against earlier runs without a lookup per name.
    const runTag = opts.seed === undefined ? randomBytes(3).toString("hex") : opts.seed.toString(36).slice(-6);

    const started = Date.now();
    const hasher = new PasswordHasher({ algorithm: config.passwordHash, bcryptCost: config.bcryptCost });
    const [passwordHash, passkeyHash] = await Promise.all([
      hasher.hash(normalizePassword(opts.password)),
      hasher.hash(normalizePassword(`${opts.password} passkey`)),
    ]);
    console.log(
      `Seeding ${opts.users} users on ${database.kind}. The password is hashed once (${config.passwordHash}) and that ` +
        `hash is reused for every seeded user: they all sign in with "${opts.password}".`,
    );

    const now = new Date();
    let created = 0;
    const samples: string[] = [];
    while (created < opts.users) {
      const size = Math.min(opts.batch, opts.users - created);
      const people = Array.from({ length: size }, (_, i) => {
        const person = fakeProfile(faker, now);
        const base = faker.internet
          .username({ firstName: person.firstName, lastName: person.lastName })
          .replace(/[^A-Za-z0-9._-]/g, "")
          .slice(0, 20);
        const username = `${base.length >= 2 ? base : "user"}.${runTag}${(created + i).toString(36)}`;
        if (!USERNAME_PATTERN.test(username)) throw new Error(`generated an invalid username: ${username}`);
        const email = `${username.toLowerCase()}@${faker.helpers.arrayElement(EMAIL_DOMAINS)}`;
        const createdAt = faker.date.between({ from: new Date(now.getTime() - 365 * 24 * 3600 * 1000), to: now });
        return { person, username, email, createdAt, emailVerified: faker.datatype.boolean({ probability: 0.7 }) };
      });

      await prisma.$transaction(
        async (tx) => {
          const users = await tx.user.createManyAndReturn({
            data: people.map(({ username, email, createdAt, emailVerified }) => ({
              username,
              usernameNormalized: normalizeUsername(username),
              email,
              emailNormalized: normalizeEmail(email),
              emailVerified,
              emailVerifiedAt: emailVerified ? createdAt : null,
              createdAt,
              updatedAt: createdAt,
            })),
            select: { id: true, usernameNormalized: true },
          });
          const idOf = new Map(users.map((user) => [user.usernameNormalized, user.id]));
          const rows = people.map((entry) => ({ ...entry, id: idOf.get(normalizeUsername(entry.username))! }));
          await tx.profile.createMany({
            data: rows.map(({ id, person, createdAt }) => ({
              userId: id,
              name: person.name,
              contact: person.contact,
              address: person.address,
              occupation: person.occupation,
              hobby: person.hobby,
              highestQualification: person.highestQualification,
              dateOfBirth: person.dateOfBirth,
              updatedAt: createdAt,
            })),
          });
          await tx.credential.createMany({
            data: rows.flatMap(({ id, createdAt }) => [
              { userId: id, kind: "PASSWORD" as const, hash: passwordHash, isCurrent: true, createdAt },
              { userId: id, kind: "SECRET_PASSKEY" as const, hash: passkeyHash, isCurrent: true, createdAt },
            ]),
          });
          await tx.auditEvent.createMany({
            data: rows.map(({ id, createdAt }) => ({
              type: AuditEventType.REGISTERED,
              userId: id,
              actorId: id,
              metadata: { seeded: true },
              createdAt,
            })),
          });
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
      created += size;
      if (samples.length < 3) samples.push(...people.slice(0, 3 - samples.length).map((p) => p.username));
      console.log(`  ${created}/${opts.users} users`);
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`Created ${created} users in ${seconds.toFixed(1)} s (${Math.round(created / seconds)} users/s).`);
    console.log(`Sign in as, e.g., ${samples.join(", ")} with the password above.`);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  exitOnKnownFailure(error);
  console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

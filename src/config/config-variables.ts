import { availableParallelism } from "node:os";
import path from "node:path";
import { ConfigError, type ConfigProblem } from "./config-error";
import { parseOAuthProviders } from "./oauth-provider-config";
import { boolean, duration, integer, list, oneOf, optionalInteger, optionalServiceUrl, optionalText, parseRateLimit, parseWebAddress, text, type ConfigMode, type ConfigVariable, type Env, type RateLimit, } from "./variable-parsers";

/** pino's levels; any other word makes pino throw at start with a message naming no variable. */
const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/**
 * Every environment variable the server reads: its parser, its default and what it decides.
 * loadConfig (src/config.ts) parses them into the Config; docs/configuration.md is generated from
 * this table (`npm run docs:config`, and a test fails when the page is stale). Rows are in the
 * reference's order. A parser checks its own variable; rules between variables are in loadConfig.
 */
export const CONFIG_VARIABLES = {
  // Server
  NODE_ENV: {
    section: "Server",
    default: "`development`",
    description:
      "`production` requires `APP_SECRET` and turns off the IDE, introspection and field suggestions and `/metrics` on the main port unless asked for; outside `development` cookies are `Secure` and responses carry HSTS; `test` allows `BCRYPT_COST` below 10. Any other value means `development`.",
    parse: (raw): ConfigMode => (raw === "production" || raw === "test" ? raw : "development"),
  },
  ENV_FILE: {
    section: "Server",
    default: "`.env` in the working directory, when there is one",
    description:
      "A file of `NAME=value` lines read at start (by the server and every operator command) before the rest; a variable already set in the environment keeps its value. Set this in the environment, not in the file; a file named here must exist. With `NODE_ENV=test` only a file named here is read, so a developer's `.env` never reaches the tests. `.env.example` lists every variable.",
    parse: (raw) => raw || undefined,
  },
  PORT: {
    section: "Server",
    ...integer(4000, 0, 65535),
    description: "The port the server listens on (`0`: any free port).",
  },
  HOST: {
    section: "Server",
    ...text("127.0.0.1"),
    description: "The address the server listens on; `0.0.0.0` to accept connections from other hosts (as in the Docker image).",
  },
  PUBLIC_URL: {
    section: "Server",
    default: "`http://localhost:PORT`",
    description:
      "The address clients reach the server at: base of avatar URLs, and of the links in e-mails unless `APP_URL` is set; the access tokens' issuer (`iss`); always an allowed browser origin; its host and origin are the passkey defaults. A trailing `/` is dropped.",
    parse: (raw) => parseWebAddress(raw, "PUBLIC_URL", "the http:// or https:// address clients reach the server at, such as https://id.example.com"),
  },
  WORKERS: {
    section: "Server",
    default: "`1`",
    description:
      "Server processes `npm start` runs on one port (node:cluster), under a primary that restarts a worker that dies; `auto`: one per core. Above 1 needs `DATABASE_URL`: the embedded database belongs to one process.",
    parse(raw, context) {
      const count = raw === "auto" ? availableParallelism() : integer(1, 1, 256).parse(raw, context);
      if (count > 1 && !context.env.DATABASE_URL) {
        throw new ConfigError("WORKERS above 1 needs DATABASE_URL: the embedded database serves a single process");
      }
      return count;
    },
  },
  DATA_DIR: {
    section: "Server",
    default: "`./data`",
    description:
      "The embedded database (`DATA_DIR/pglite`), avatars, mail files and the generated development secret. Folders are owner-only (0700) and files 0600, set at start, on every maintenance run and at stop.",
    parse: (raw) => path.resolve(raw ?? "./data"),
  },
  CORS_ORIGINS: {
    section: "Server",
    ...list(),
    description: "Comma-separated browser origins allowed besides `PUBLIC_URL`'s and `APP_URL`'s.",
  },
  TRUST_PROXY: {
    section: "Server",
    default: "`false`",
    description:
      "Behind proxies: `true` (one) or their number, 1 to 9 (`2` for, say, a CDN and a load balancer). The client IP is the `X-Forwarded-For` entry the outermost of them appended, counted from the right, never an entry the caller wrote itself (taking the leftmost would let a caller pick its own IP and walk past IP limits).",
    parse(raw) {
      const value = (raw ?? "").trim().toLowerCase();
      if (value === "" || ["false", "no", "0"].includes(value)) return 0;
      if (["true", "yes"].includes(value)) return 1;
      if (/^[1-9]$/.test(value)) return Number(value);
      throw new ConfigError(`TRUST_PROXY must be true, false or the number of proxies in front (1-9), got "${raw}"`);
    },
  },
  LOG_LEVEL: {
    section: "Server",
    default: "`info`",
    description: "pino level (`trace`, `debug`, `info`, `warn`, `error`, `fatal`, or `silent`: no log); logs are JSON lines on stdout.",
    parse: (raw, context) => oneOf(LOG_LEVELS, "info").parse(raw?.trim().toLowerCase() || undefined, context),
  },
  LOG_FORMAT: {
    section: "Server",
    ...oneOf(["json", "pretty"], "json"),
    description:
      "`json`: one JSON object a line, for log collectors. `pretty`: readable lines through pino-pretty, for development (coloured only on a terminal); the same fields, with secrets redacted as in `json`.",
  },
  MAINTENANCE_INTERVAL: {
    section: "Server",
    ...duration("5m"),
    description:
      "How often expired revocations and refresh tokens, dead sessions, login challenges and stale avatar upload files are pruned, ended bans cleared, `DATA_DIR` permissions re-applied, and signing keys re-read (a rotated key is picked up within this).",
  },

  // Database and Redis
  DATABASE_URL: {
    section: "Database and Redis",
    ...optionalServiceUrl({
      kind: "PostgreSQL",
      protocols: ["postgres:", "postgresql:"],
      example: "postgres://user:password@db.example.com:5432/latchkey",
      hostParam: "host",
      unsetHint: "unset it to use the embedded database in DATA_DIR",
    }),
    description:
      "PostgreSQL URL (`postgres://` or `postgresql://` with a host, or `?host=` naming a socket folder), e.g. `postgres://postgres@127.0.0.1:5432/latchkey`; unset means the embedded PGlite in `DATA_DIR/pglite`.",
  },
  DATABASE_POOL_SIZE: {
    section: "Database and Redis",
    ...integer(10, 1, 1000),
    description:
      "PostgreSQL: connections each server process keeps at most (each of `WORKERS` has its own pool; operator commands keep a pool of 2). PostgreSQL's `max_connections` must cover every process's pool, on every host.",
  },
  DATABASE_CONNECT_TIMEOUT: {
    section: "Database and Redis",
    ...duration("3s", { positive: true }),
    description: "PostgreSQL: longest wait for a new connection before a request fails with `SERVICE_UNAVAILABLE`.",
  },
  DATABASE_STATEMENT_TIMEOUT: {
    section: "Database and Redis",
    ...duration("5s"),
    description:
      "PostgreSQL: longest a statement may run (the client gives up a second later on a server that stopped answering); `0`: no limit. Migrations are not limited.",
  },
  DATABASE_PREPARED_STATEMENTS: {
    section: "Database and Redis",
    ...boolean(true),
    description:
      "PostgreSQL: each pooled connection keeps its statements prepared, so PostgreSQL parses each once (this halved its CPU per token refresh). Set `false` behind a PgBouncer in transaction mode older than 1.21, which cannot carry prepared statements.",
  },
  REDIS_URL: {
    section: "Database and Redis",
    ...optionalServiceUrl({ kind: "Redis", protocols: ["redis:", "rediss:"], example: "redis://:password@redis.example.com:6379" }),
    description:
      "Redis URL, e.g. `redis://127.0.0.1:6379`: rate-limit counts shared by every process and session invalidations announced to every process (pub/sub). Unset: counts are per process.",
  },
  REDIS_PREFIX: {
    section: "Database and Redis",
    ...text("latchkey:"),
    description: "Prefix of every Redis key and channel, so several deployments can share one Redis.",
  },
  SESSION_CACHE_TTL: {
    section: "Database and Redis",
    ...duration("30s"),
    description:
      "How long a process keeps a session's state, and a personal access token's lookup, in memory (`0`: off), so a signed-in request usually costs no database round trip. Used only while invalidations can reach every process: always on the embedded database, with `REDIS_URL` on PostgreSQL.",
  },

  // Secrets, tokens and sessions
  APP_SECRET: {
    section: "Secrets, tokens and sessions",
    default: "generated into `DATA_DIR/app-secret` outside production",
    description:
      "Encrypts signing keys, TOTP/HOTP secrets and webhook secrets at rest and keys the recovery-code hashes; at least 32 characters; required with `NODE_ENV=production`. Keep it out of the database's backups.",
    parse(raw) {
      if (raw && raw.length < 32) throw new ConfigError("APP_SECRET must be at least 32 characters");
      return raw || undefined;
    },
  },
  JWT_AUDIENCE: {
    section: "Secrets, tokens and sessions",
    ...text("latchkey"),
    description: "The access tokens' audience (`aud`); tokens for another audience are refused.",
  },
  ACCESS_TOKEN_TTL: {
    section: "Secrets, tokens and sessions",
    ...duration("15m"),
    description: "Default access-token lifetime, when `login` does not ask for one; at least `1m` and at most `ACCESS_TOKEN_MAX_TTL`.",
  },
  ACCESS_TOKEN_MAX_TTL: {
    section: "Secrets, tokens and sessions",
    ...duration("24h"),
    description: "The longest access-token lifetime `expiresInMinutes` may ask for (1 minute to this).",
  },
  REFRESH_TOKEN_TTL: {
    section: "Secrets, tokens and sessions",
    ...duration("30d"),
    description: "Refresh-token (and session) lifetime; each refresh issues a new one.",
  },
  SESSION_IDLE_TIMEOUT: {
    section: "Secrets, tokens and sessions",
    ...duration("10m"),
    description: "A session unused this long is over; `0` turns it off.",
  },
  SESSION_MAX_LIFETIME: {
    section: "Secrets, tokens and sessions",
    ...duration("90d", { positive: true }),
    description: "A session ends this long after sign-in, however often it refreshes.",
  },
  REAUTH_MAX_AGE: {
    section: "Secrets, tokens and sessions",
    ...duration("10m", { positive: true }),
    description:
      "How recent a session's last proof of identity (sign-in or `reauthenticate`) must be for sensitive mutations; older answers `FORBIDDEN` with `reason: \"REAUTHENTICATION_REQUIRED\"`.",
  },
  REFRESH_REUSE_INTERVAL: {
    section: "Secrets, tokens and sessions",
    ...duration("10s", { max: "1m" }),
    description:
      "A just-retired refresh token presented again this soon yields the same successor instead of revoking the session (two tabs refreshing at once); long enough for two tabs racing, short enough that a copied token is still caught: at most `1m`; `0` turns it off.",
  },

  // Passwords
  PASSWORD_HASH: {
    section: "Passwords",
    ...oneOf(["argon2id", "bcrypt"] as const, "argon2id"),
    description:
      "Algorithm for new hashes: `argon2id` (m=19456 KiB, t=2, p=1) or `bcrypt` (the password pre-hashed with HMAC-SHA256, `$bcrypt-sha256$`, so passwords over 72 bytes are never cut). Either kind verifies, and a hash of the other kind or other parameters is replaced at the next successful login.",
  },
  BCRYPT_COST: {
    section: "Passwords",
    ...integer(12, (mode) => (mode === "test" ? 4 : 10), 31),
    description: "bcrypt work factor when `PASSWORD_HASH=bcrypt`: 10 to 31 (from 4 with `NODE_ENV=test`).",
  },

  // Mail and links
  APP_URL: {
    section: "Mail and links",
    default: "same as `PUBLIC_URL`",
    description:
      "The address of the app that opens the links in e-mails: their base (`/reset-password`, `/verify-email`, `/confirm-email`, `/security`, each with `?token=` but the last), where a front end hosts those pages and posts the token back; also an allowed browser origin. A trailing `/` is dropped.",
    parse: (raw) =>
      parseWebAddress(raw, "APP_URL", "the http:// or https:// address of the app that opens the mailed links, such as https://app.example.com, without ? or #", { bare: true }),
  },
  SMTP_URL: {
    section: "Mail and links",
    ...optionalText(),
    description:
      "e.g. `smtp://user:pass@mail.example.com:587` or `smtps://...:465`. Unset: mail stays queued in the outbox, and outside production each message is written once to a file in `DATA_DIR/mail/` (the log names the file but never holds a link).",
  },
  MAIL_FROM: {
    section: "Mail and links",
    ...text("no-reply@localhost"),
    description: "Sender address of outgoing mail.",
  },
  MAIL_TEMPLATES_DIR: {
    section: "Mail and links",
    ...optionalText("unset: the built-in texts"),
    description:
      "A folder of mail templates, read once at start. A file named `<template>.subject`, `<template>.txt` or `<template>.html` replaces that part of a template (`password-reset`, `email-verification`, `email-change`, `email-code`); parts without a file keep the built-in text. Placeholders are written `{{link}}`: `username`, `link` and `validFor` in each, and `reviewLink`, `waysIn` and `removed` in `password-reset`; `email-code` has `username`, `code` and `validFor` instead, no link; values are HTML-escaped in the `.html` part. A file with an unknown name or placeholder, or a text or HTML part without `{{link}}` (`{{code}}` in `email-code`), stops the start naming the file. Every mail has a plain-text and an HTML part.",
  },
  MAIL_MAX_ATTEMPTS: {
    section: "Mail and links",
    ...integer(8, 1, 100),
    description: "Delivery tries per mail before it is marked failed (retried with backoff after a 4xx or no answer; a 5xx fails at once).",
  },
  MAIL_POLL_INTERVAL: {
    section: "Mail and links",
    ...duration("5s", { positive: true }),
    description: "How often the background sender looks for due mail.",
  },
  PASSWORD_RESET_TTL: {
    section: "Mail and links",
    ...duration("30m", { positive: true }),
    description: "Lifetime of a password-reset link.",
  },
  EMAIL_CODE_TTL: {
    section: "Mail and links",
    ...duration("10m", { positive: true, max: "1h" }),
    description: "Lifetime of a sign-in code mailed by requestEmailCode (at most 1h: the code is short, and it is a way in).",
  },
  EMAIL_VERIFICATION_TTL: {
    section: "Mail and links",
    ...duration("24h", { positive: true }),
    description: "Lifetime of an e-mail verification link and of an e-mail change confirmation link.",
  },
  ORGANIZATION_INVITATION_TTL: {
    section: "Mail and links",
    ...duration("7d", { positive: true }),
    description: "Lifetime of an organization invitation link (inviteMember, resendInvitation).",
  },
  MAGIC_LINK_TTL: {
    section: "Mail and links",
    ...duration("15m", { positive: true }),
    description: "Lifetime of a sign-in link (requestMagicLink).",
  },
  MAGIC_LINK_SIGNUP: {
    section: "Mail and links",
    ...boolean(false),
    description: "`true`: requestMagicLink for an address no account holds mails a link that creates the account when followed; `false`: such an address gets no mail.",
  },
  RESET_REQUIRES_VERIFIED_EMAIL: {
    section: "Mail and links",
    ...boolean(true),
    description: "`true`: reset links go only to verified addresses; `false`: also to an unverified address that one account alone claims.",
  },

  // Abuse protection
  "RATE_LIMIT_<KEY>": {
    section: "Abuse protection",
    default: "per key, below",
    description:
      "Per-field limits as `max/window` (e.g. `RATE_LIMIT_LOGIN=20/1m`), or `off` when a gateway in front limits instead. Every alias and every batched operation counts as one call.",
    parse: (_raw, { env }) => rateLimitOverrides(env),
  },
  LOGIN_LOCKOUT_THRESHOLD: {
    section: "Abuse protection",
    ...integer(5, 1, 1000),
    description: "Failed secret checks (sign-in and in-session) within `LOGIN_LOCKOUT_WINDOW` that lock an account.",
  },
  LOGIN_LOCKOUT_WINDOW: {
    section: "Abuse protection",
    ...duration("15m"),
    description: "The window failures are counted in.",
  },
  LOGIN_LOCKOUT_BASE: {
    section: "Abuse protection",
    ...duration("1m"),
    description: "The first lock's length; it doubles with every further threshold of failures that day.",
  },
  LOGIN_LOCKOUT_MAX: {
    section: "Abuse protection",
    ...duration("15m"),
    description: "The longest lock.",
  },
  LOGIN_TRUSTED_IP_WINDOW: {
    section: "Abuse protection",
    ...duration("30d"),
    description: "An IP the account signed in from within this is judged only by its own failures, so an attacker elsewhere cannot lock the owner out.",
  },

  // GraphQL requests
  QUERY_MAX_DEPTH: {
    section: "GraphQL requests",
    ...integer(15, 1, 100),
    description: "Deeper queries are refused with `BAD_USER_INPUT` (the standard introspection query fits).",
  },
  QUERY_MAX_ALIASES: {
    section: "GraphQL requests",
    ...integer(15, 1, 1000),
    description: "Aliases per operation.",
  },
  QUERY_MAX_COST: {
    section: "GraphQL requests",
    ...integer(5000, 1, 1_000_000),
    description: "Query cost: one per field, times `first` of enclosing lists; each fragment measured once.",
  },
  QUERY_MAX_TOKENS: {
    section: "GraphQL requests",
    ...integer(1000, 200, 100_000),
    description: "Tokens per GraphQL document; longer documents are refused with `BAD_USER_INPUT` before they are validated.",
  },
  MAX_BATCH_OPERATIONS: {
    section: "GraphQL requests",
    ...integer(10, 1, 100),
    description: "Operations per batched (JSON array) request.",
  },
  MAX_JSON_BODY_BYTES: {
    section: "GraphQL requests",
    ...integer(102_400, 1024, 10 * 1024 * 1024),
    description: "Largest JSON request body, in bytes (`PAYLOAD_TOO_LARGE` above).",
  },
  WS_MAX_CONNECTIONS_PER_IP: {
    section: "GraphQL requests",
    ...integer(50, 1, 100_000),
    description:
      "WebSocket connections (subscriptions at `/graphql`) one client address may hold at once; more are refused with HTTP 429. A session may hold at most 10 at once.",
  },
  SESSION_EVENTS_RECHECK_INTERVAL: {
    section: "GraphQL requests",
    ...duration("30s", { positive: true }),
    description:
      "How often each live subscription (sessionEvents, userSessionEvents) reads its session and account again without being told of a change. Changes are announced at once in the process and, with `REDIS_URL`, across processes; on PostgreSQL without Redis, another process's changes reach a subscriber within this interval.",
  },
  GRAPHQL_INTROSPECTION: {
    section: "GraphQL requests",
    ...boolean((mode) => mode !== "production", "on except with `NODE_ENV=production`"),
    description: "Schema introspection. Without it, error messages carry no \"Did you mean ...?\" hints naming fields, arguments, types or enum values.",
  },
  GRAPHQL_IDE: {
    section: "GraphQL requests",
    ...boolean((mode) => mode !== "production", "on except with `NODE_ENV=production`"),
    description: "Serve the GraphiQL IDE at `GET /graphql`, from the installed packages (no CDN).",
  },

  // Accounts
  MAX_AVATAR_BYTES: {
    section: "Accounts",
    ...integer(2_097_152, 1024, 50 * 1024 * 1024),
    description: "Largest accepted avatar upload, in bytes (`PAYLOAD_TOO_LARGE`, cut off while streaming).",
  },
  AVATAR_MAX_PIXELS: {
    section: "Accounts",
    ...integer(16_777_216, 1, 100_000_000),
    description: "Largest avatar canvas (width x height; 4096x4096) decoded; larger ones are refused from their header with `PAYLOAD_TOO_LARGE`.",
  },
  AVATAR_STORAGE: {
    section: "Accounts",
    ...oneOf(["filesystem", "database"] as const, "filesystem"),
    description:
      "Where uploaded avatars are kept: `filesystem` (`DATA_DIR/avatars`, seen by this host only) or `database` (a table, so every host behind a load balancer serves them). Avatars are not carried over when this changes: users upload again.",
  },
  TWO_FACTOR_ISSUER: {
    section: "Accounts",
    default: "`Latchkey`",
    description: "The issuer name authenticator apps show beside the account: 1 to 64 characters without `:` (it separates issuer and account in `otpauth://` URLs).",
    parse(raw) {
      const issuer = (raw ?? "Latchkey").trim();
      if (!issuer || issuer.length > 64 || issuer.includes(":")) {
        throw new ConfigError("TWO_FACTOR_ISSUER must be 1 to 64 characters without a colon");
      }
      return issuer;
    },
  },
  ADMIN_USERNAME: {
    section: "Accounts",
    ...optionalText(),
    description:
      "With `ADMIN_PASSWORD`: creates this ADMIN account at start when no account has that username. An existing account is never changed (and one registered under that name beforehand is not promoted: a warning is logged).",
  },
  ADMIN_PASSWORD: {
    section: "Accounts",
    ...optionalText(),
    description: "The first ADMIN's password (see `ADMIN_USERNAME`).",
  },
  ADMIN_EMAIL: {
    section: "Accounts",
    ...optionalText(),
    description: "The first ADMIN's e-mail address (optional).",
  },

  // Social sign-in and passkeys
  OIDC_PROVIDERS: {
    section: "Social sign-in and passkeys",
    default: "unset (no social sign-in)",
    description:
      "JSON list of providers: `{ id, name, issuer, clientId, clientSecret, scopes, redirectUris }`. Ids `google`, `microsoft` (personal accounts) and `github` fill `name`, `issuer` and `scopes` when left out; any other id is an OpenID Connect provider discovered from `issuer` (https only with `NODE_ENV=production`). A bad entry stops start-up with a message naming the entry and field. See [Social sign-in](deployment.md#social-sign-in-providers).",
    parse: (raw, { mode }) => parseOAuthProviders(raw, { production: mode === "production" }),
  },
  WEBAUTHN_RP_ID: {
    section: "Social sign-in and passkeys",
    default: "`PUBLIC_URL`'s host",
    description:
      "The host name passkeys are bound to; a parent domain such as `example.com` lets pages on its subdomains use them. An IP address (from `PUBLIC_URL`) starts the server, though browsers refuse passkeys there.",
    parse(raw) {
      const rpId = raw?.trim().toLowerCase();
      if (rpId && (!/^[a-z0-9.-]+$/.test(rpId) || rpId.startsWith(".") || rpId.endsWith("."))) {
        throw new ConfigError(`WEBAUTHN_RP_ID must be a host name such as example.com, got "${rpId}"`);
      }
      return rpId || undefined;
    },
  },
  WEBAUTHN_RP_NAME: {
    section: "Social sign-in and passkeys",
    default: "`Latchkey`",
    description: "The name browsers show when a passkey is made (1 to 64 characters).",
    parse(raw) {
      const name = (raw ?? "Latchkey").trim();
      if (!name || name.length > 64) throw new ConfigError("WEBAUTHN_RP_NAME must be 1 to 64 characters");
      return name;
    },
  },
  WEBAUTHN_ORIGINS: {
    section: "Social sign-in and passkeys",
    default: "`PUBLIC_URL`'s origin",
    description: "Comma-separated page origins (scheme, host, port; no path) passkey ceremonies are accepted from; list the app's origin when it is served elsewhere.",
    parse(raw, context) {
      return list().parse(raw, context).map((origin) => {
        let parsed: URL;
        try {
          parsed = new URL(origin);
        } catch {
          throw new ConfigError(`WEBAUTHN_ORIGINS: "${origin}" is not an origin such as https://app.example.com`);
        }
        if (parsed.origin !== origin.replace(/\/+$/, "")) {
          throw new ConfigError(`WEBAUTHN_ORIGINS: "${origin}" must be a bare origin (scheme, host, port), without a path`);
        }
        return parsed.origin;
      });
    },
  },

  // OpenID Provider
  OIDC_PROVIDER_ENABLED: {
    section: "OpenID Provider",
    ...boolean(true),
    description:
      "`true`: Latchkey is an OpenID Provider for other apps (discovery at `PUBLIC_URL/.well-known/openid-configuration`, endpoints under `/oidc`, clients managed over GraphQL); `false`: those paths answer 404.",
  },
  OIDC_ACCESS_TOKEN_TTL: {
    section: "OpenID Provider",
    ...duration("10m", { positive: true }),
    description: "Lifetime of the access tokens the provider issues to other apps (code, refresh, device and client-credentials grants).",
  },
  OIDC_REFRESH_TOKEN_TTL: {
    section: "OpenID Provider",
    ...duration("14d", { positive: true }),
    description:
      "Lifetime of a provider refresh token, grant and sign-in session (each refresh rotates the token); never longer than `SESSION_MAX_LIFETIME`.",
  },

  // Metrics
  METRICS_PORT: {
    section: "Metrics",
    ...optionalInteger(0, 65535),
    description: "Serve `/metrics` on this port (`0`: any free port) and nowhere else, not on `PORT`; must differ from `PORT`.",
  },
  METRICS_HOST: {
    section: "Metrics",
    default: "`127.0.0.1`",
    description: "The address the metrics port listens on.",
    parse: (raw) => raw || "127.0.0.1",
  },
  METRICS_TOKEN: {
    section: "Metrics",
    ...optionalText(),
    description:
      "`/metrics` only with `Authorization: Bearer <token>` (at least 16 characters). With `NODE_ENV=production`, without it or `METRICS_PORT`, `/metrics` answers 404.",
    parse(raw) {
      if (raw && raw.length < 16) throw new ConfigError("METRICS_TOKEN must be at least 16 characters");
      return raw || undefined;
    },
  },

  // Tracing
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    section: "Tracing",
    default: "unset: no tracing",
    description:
      "Export OpenTelemetry traces over OTLP/HTTP (JSON) to this collector, at `<url>/v1/traces`: a span per HTTP request (joining the caller's trace from a `traceparent` header), GraphQL operation, database statement and password hash or check. Unset, none of the OpenTelemetry SDK is loaded. The SDK's standard variables apply too (`OTEL_BSP_SCHEDULE_DELAY`, `OTEL_TRACES_SAMPLER`, `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_RESOURCE_ATTRIBUTES`).",
    parse: (raw, context) => parseWebAddress(raw, context.name, "an http:// or https:// URL"),
  },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
    section: "Tracing",
    default: "`<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`",
    description: "The full URL traces are sent to, when it is not the endpoint's `/v1/traces`; set alone, it turns tracing on too.",
    parse: (raw, context) => parseWebAddress(raw, context.name, "an http:// or https:// URL"),
  },
  OTEL_SERVICE_NAME: {
    section: "Tracing",
    ...text("latchkey"),
    description: "The `service.name` the exported spans carry.",
  },

  // Audit and webhooks
  AUDIT_RETENTION: {
    section: "Audit trail and webhooks",
    ...duration("365d"),
    description: "Audit events older than this are deleted (at start and hourly, in every process, in batches); `0` keeps them forever.",
  },
  WEBHOOK_TIMEOUT: {
    section: "Audit trail and webhooks",
    ...duration("10s", { positive: true }),
    description: "How long one webhook delivery attempt may take before it counts as failed.",
  },
  WEBHOOK_POLL_INTERVAL: {
    section: "Audit trail and webhooks",
    ...duration("5s", { positive: true }),
    description: "How often the background deliverer looks for due webhook deliveries.",
  },
  WEBHOOK_RETRY_WINDOW: {
    section: "Audit trail and webhooks",
    ...duration("24h", { positive: true }),
    description: "A delivery is retried this long before it is `FAILED`; an endpoint failing this long without a success is disabled.",
  },
  WEBHOOK_ALLOW_PRIVATE: {
    section: "Audit trail and webhooks",
    ...boolean(false),
    description: "`true`: webhook URLs may point at loopback, private and link-local addresses (local development, tests).",
  },
} satisfies Record<string, ConfigVariable<unknown>>;

export type ConfigVariableName = keyof typeof CONFIG_VARIABLES;

/** Each variable's parsed value. */
export type ConfigValues = { [Name in ConfigVariableName]: ReturnType<(typeof CONFIG_VARIABLES)[Name]["parse"]> };

/** The family row's pattern: RATE_LIMIT_ and an upper-case key. */
const RATE_LIMIT_VARIABLE = /^RATE_LIMIT_([A-Z][A-Z0-9_]*)$/;

/**
 * Every RATE_LIMIT_<KEY> set, by key. Which keys exist and their defaults are the limits
 * feature's (src/limits/rate-limit-rules.ts), which fills in the rest at start-up; here each
 * value is checked for its form, so a bad one still stops start-up.
 */
function rateLimitOverrides(env: Env): Record<string, RateLimit | null> {
  const overrides: Record<string, RateLimit | null> = {};
  const problems: ConfigProblem[] = [];
  for (const [name, raw] of Object.entries(env)) {
    const match = RATE_LIMIT_VARIABLE.exec(name);
    if (!match || !raw) continue;
    try {
      overrides[match[1]] = parseRateLimit(raw, name);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push({ variable: name, problem: error.message });
    }
  }
  if (problems.length > 0) throw ConfigError.of(problems);
  return overrides;
}

/**
 * Parses every variable of the table, in its order (NODE_ENV first: other rows depend on it).
 * A bad value does not stop the others: each is a problem, and its value is left out.
 */
export function readConfigVariables(env: Env): { values: ConfigValues; problems: ConfigProblem[] } {
  const mode = CONFIG_VARIABLES.NODE_ENV.parse(env.NODE_ENV);
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [name, variable] of Object.entries(CONFIG_VARIABLES) as Array<[string, ConfigVariable<unknown>]>) {
    try {
      values[name] = variable.parse(env[name], { name, mode, env });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.map((entry) => namingVariable(entry.variable || name, entry.problem)));
    }
  }
  return { values: values as ConfigValues, problems };
}

/** Every line the operator sees is one line and names its variable. */
function namingVariable(variable: string, problem: string): ConfigProblem {
  const line = problem.replace(/\s*\n\s*/g, " ");
  return { variable, problem: line.includes(variable) ? line : `${variable}: ${line}` };
}

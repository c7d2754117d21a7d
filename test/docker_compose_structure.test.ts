// docker-compose.yml cannot be run here (no container engine, so no `docker compose config`
// either): this reads it as YAML and checks what would otherwise only fail on someone's machine:
// services that start in order, health checks, volumes, published ports, pinned images, and an
// api environment that names only variables the server reads and points at the right services.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { loadConfig } from "../src/config";
import { CONFIG_VARIABLES } from "../src/config/config-variables";
import { RATE_LIMIT_KEYS } from "../src/limits/rate-limit-rules";

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  ports?: Array<string | { target: number; published?: string | number }>;
  volumes?: Array<string | { type?: string; source?: string; target: string }>;
}

const text = readFileSync(path.join(__dirname, "..", "docker-compose.yml"), "utf8");
const compose = parse(text) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services;

function readsVariable(name: string): boolean {
  if (name in CONFIG_VARIABLES) return true;
  const rateLimit = /^RATE_LIMIT_([A-Z0-9_]+)$/.exec(name);
  return rateLimit !== null && RATE_LIMIT_KEYS.includes(rateLimit[1]);
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((line) => [line.split("=")[0], line.slice(line.indexOf("=") + 1)])
    : Object.entries(env).map(([name, value]) => [name, String(value ?? "")]);
  return Object.fromEntries(entries);
}

/** Compose's interpolation, with each `${NAME:?...}` (required) given `required`'s value. */
function interpolate(value: string, required: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}/g, (match, name?: string, operator?: string, word?: string) => {
    if (match === "$$") return "$";
    if (operator?.endsWith("?")) {
      if (!(name! in required)) throw new Error(`${name} is required by docker-compose.yml: give the test a value for it`);
      return required[name!];
    }
    return operator?.endsWith("-") ? word! : "";
  });
}

/** Names written as commented-out entries (`# NAME: value`) inside the api's environment. */
function commentedApiVariables(): string[] {
  const api = text.slice(text.indexOf("\n  api:\n"));
  const environment = api.slice(api.indexOf("\n    environment:\n") + 1);
  // Up to the api's next key (`    ports:`), at the environment's own indentation.
  const block = environment.slice(0, environment.slice(1).search(/\n {4}[a-z_]+:/) + 1);
  return [...block.matchAll(/^\s+#\s*([A-Z][A-Z0-9_]*):\s/gm)].map((match) => match[1]);
}

const servicesByImage = (prefix: string) => Object.keys(services).filter((name) => services[name].image?.startsWith(prefix));
const publishedPorts = (service: Service) =>
  (service.ports ?? []).map((port) => {
    if (typeof port !== "string") return { published: Number(port.published), target: port.target };
    const parts = port.split(":");
    return { published: Number(parts.at(-2)), target: Number(parts.at(-1)) };
  });

/** An exact release: PostgreSQL numbers them MAJOR.MINOR (16.13), the others MAJOR.MINOR.PATCH. */
function pinned(image: string): boolean {
  const [, repository, version] = /^([a-z0-9./-]+):v?([0-9.]+)(?:-[a-z0-9.]+)?(?:@sha256:[0-9a-f]{64})?$/.exec(image) ?? [];
  if (!version) return false;
  return (repository === "postgres" ? /^\d+\.\d+$/ : /^\d+\.\d+\.\d+$/).test(version);
}

const api = services.api;
const apiEnv = environmentOf(api);
const REQUIRED_VALUES = { APP_SECRET: "compose-test-secret-compose-test-secret-0123" };
const resolvedApiEnv = Object.fromEntries(Object.entries(apiEnv).map(([name, value]) => [name, interpolate(value, REQUIRED_VALUES)]));

describe("docker-compose.yml", () => {
  it("runs the api beside PostgreSQL, Redis and a mail catcher", () => {
    expect(Object.keys(services).sort()).toEqual(["api", "mail", "postgres", "redis"]);
    expect(api.build).toBeDefined();
    expect(servicesByImage("postgres:")).toEqual(["postgres"]);
    expect(servicesByImage("redis:")).toEqual(["redis"]);
    expect(servicesByImage("axllent/mailpit:")).toEqual(["mail"]);
  });

  it("starts the api only once PostgreSQL and Redis are healthy", () => {
    const dependsOn = api.depends_on as Record<string, { condition?: string }>;
    expect(Array.isArray(dependsOn)).toBe(false);
    expect(dependsOn.postgres?.condition).toBe("service_healthy");
    expect(dependsOn.redis?.condition).toBe("service_healthy");
    for (const [name, dependency] of Object.entries(dependsOn)) {
      expect({ name, known: name in services }).toEqual({ name, known: true });
      if (dependency.condition === "service_healthy") expect({ name, healthcheck: !!services[name].healthcheck }).toEqual({ name, healthcheck: true });
    }
  });

  it("gives every service a health check with a command, the api's asking /readyz", () => {
    for (const [name, service] of Object.entries(services)) {
      const test = service.healthcheck?.test;
      const command = Array.isArray(test) ? test : [];
      expect({ name, disabled: service.healthcheck?.disable === true }).toEqual({ name, disabled: false });
      expect({ name, form: command[0] }).toEqual({ name, form: expect.stringMatching(/^CMD(-SHELL)?$/) });
      expect({ name, command: command.slice(1).join(" ").trim().length > 0 }).toEqual({ name, command: true });
    }
    expect((api.healthcheck!.test as string[]).join(" ")).toMatch(/fetch\('http:\/\/127\.0\.0\.1:4000\/readyz'\)/);
    expect((services.mail.healthcheck!.test as string[]).slice(1)).toEqual(["/mailpit", "readyz"]);
  });

  it("keeps data in named volumes it declares, and mounts nothing from the host", () => {
    const declared = Object.keys(compose.volumes ?? {}).sort();
    const used = new Set<string>();
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === "string" ? volume.split(":")[0] : volume.source ?? "";
        expect({ name, source, named: declared.includes(source) }).toEqual({ name, source, named: true });
        used.add(source);
      }
    }
    expect(declared.length).toBeGreaterThan(0);
    expect([...used].sort()).toEqual(declared);
    expect(services.postgres.volumes).toContainEqual(expect.stringMatching(/:\/var\/lib\/postgresql\/data$/));
  });

  it("publishes the API on 4000 and the inbox on 8025", () => {
    // The container's server must listen on every interface, on the port that is published.
    expect(apiEnv.HOST).toBe("0.0.0.0");
    expect(apiEnv.PORT).toBe("4000");
    expect(publishedPorts(api)).toContainEqual({ published: 4000, target: 4000 });
    expect(publishedPorts(services.mail)).toContainEqual({ published: 8025, target: 8025 });
  });

  it("pins every image to a release, never latest", () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      expect({ name, image: service.image, pinned: pinned(service.image ?? "") }).toEqual({ name, image: service.image, pinned: true });
    }
  });

  it("sets on the api only variables the server reads, commented-out ones included", () => {
    const names = [...Object.keys(apiEnv), ...commentedApiVariables()];
    expect(commentedApiVariables()).toEqual(expect.arrayContaining(["TRUST_PROXY", "OTEL_EXPORTER_OTLP_ENDPOINT"]));
    expect(names.filter((name) => !readsVariable(name))).toEqual([]);
  });

  it("sets what a production server needs: a required APP_SECRET, PUBLIC_URL, shared avatars", () => {
    expect(apiEnv.NODE_ENV).toBe("production");
    expect(apiEnv.APP_SECRET).toMatch(/^\$\{APP_SECRET:\?[^}]+\}$/);
    expect(() => interpolate(apiEnv.APP_SECRET, {})).toThrow(/APP_SECRET is required/);
    for (const name of ["PUBLIC_URL", "DATABASE_URL", "DATABASE_POOL_SIZE", "REDIS_URL", "SMTP_URL", "MAIL_FROM", "LOG_LEVEL"]) {
      expect({ name, set: (resolvedApiEnv[name] ?? "") !== "" }).toEqual({ name, set: true });
    }
    expect(apiEnv.AVATAR_STORAGE).toBe("database");
    // Not behind a proxy here: trusting X-Forwarded-For would let callers pick their own IP.
    expect(apiEnv.TRUST_PROXY).toBeUndefined();
    const config = loadConfig(resolvedApiEnv);
    expect(config.env).toBe("production");
    expect(config.publicUrl).toBe("http://localhost:4000");
  });

  it("points DATABASE_URL at the postgres service with its user, password and database", () => {
    const url = new URL(resolvedApiEnv.DATABASE_URL);
    const postgres = environmentOf(services.postgres);
    expect(url.protocol).toMatch(/^postgres(ql)?:$/);
    expect(url.hostname).toBe("postgres");
    expect(url.port || "5432").toBe("5432");
    expect(decodeURIComponent(url.username)).toBe(postgres.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${postgres.POSTGRES_DB}`);
    expect((services.postgres.healthcheck!.test as string[]).join(" ")).toContain(`-U ${postgres.POSTGRES_USER} -d ${postgres.POSTGRES_DB}`);
  });

  it("points REDIS_URL at the redis service and SMTP_URL at the mail service's SMTP port", () => {
    const redis = new URL(resolvedApiEnv.REDIS_URL);
    expect(redis.protocol).toBe("redis:");
    expect(redis.hostname).toBe("redis");
    expect(redis.port || "6379").toBe("6379");
    const smtp = new URL(resolvedApiEnv.SMTP_URL);
    expect(smtp.protocol).toBe("smtp:");
    expect(smtp.hostname).toBe("mail");
    expect(smtp.port).toBe("1025");
  });
});

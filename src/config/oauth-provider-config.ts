import { ConfigError } from "./config-error";
import { DEFAULT_OIDC_SCOPES, PROVIDER_PRESETS, type OAuthProviderKind } from "./provider-presets";

export type { OAuthProviderKind };

/** One social sign-in provider, as configured in OIDC_PROVIDERS (presets filled in). */
export interface OAuthProviderConfig {
  id: string;
  name: string;
  kind: OAuthProviderKind;
  /** The OIDC issuer; null for GitHub, whose endpoints are fixed. */
  issuer: string | null;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** The only redirect URIs startOAuthLogin accepts; register the same ones at the provider. */
  redirectUris: string[];
}

const FIELDS = ["id", "name", "issuer", "clientId", "clientSecret", "scopes", "redirectUris"];
const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
// The multi-tenant Microsoft endpoints publish a templated issuer that no ID token carries.
const MICROSOFT_TEMPLATED = /^https:\/\/login\.microsoftonline\.com\/(common|organizations|consumers)(\/|$)/i;

// Parsed with the rest of the configuration, below every feature, so a bad entry stops start-up
// with a message that names the entry and field; the oauth feature reads the result.
function fail(label: string, message: string): never {
  throw new ConfigError(`${label}: ${message}`);
}

function nonEmptyString(value: unknown, label: string, field: string, maxLength = 2048): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > maxLength) {
    fail(label, `"${field}" must be a non-empty string of at most ${maxLength} characters`);
  }
  return value.trim();
}

function parseUrl(value: string, label: string, field: string): URL {
  try {
    return new URL(value);
  } catch {
    return fail(label, `"${field}" is not an absolute URL: "${value}"`);
  }
}

function issuerOf(raw: unknown, label: string, production: boolean): string {
  const issuer = nonEmptyString(raw, label, "issuer").replace(/\/+$/, "");
  const url = parseUrl(issuer, label, "issuer");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && !production)) {
    fail(label, `"issuer" must use https${production ? " in production" : " (http is allowed outside production)"}`);
  }
  if (url.search || url.hash) fail(label, `"issuer" must not have a query or fragment`);
  if (MICROSOFT_TEMPLATED.test(issuer)) {
    fail(label, `"issuer" must name one Microsoft tenant (https://login.microsoftonline.com/<tenant-id>/v2.0); common, organizations and consumers publish no fixed issuer`);
  }
  return issuer;
}

function scopesOf(raw: unknown, label: string, fallback: string[], kind: OAuthProviderKind): string[] {
  if (raw === undefined) return fallback;
  if (!Array.isArray(raw) || raw.length === 0 || raw.some((s) => typeof s !== "string" || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) {
    fail(label, `"scopes" must be a non-empty list of scope names without spaces`);
  }
  if (kind === "oidc" && !raw.includes("openid")) fail(label, `"scopes" must include "openid"`);
  return [...new Set(raw as string[])];
}

function redirectUrisOf(raw: unknown, label: string, production: boolean): string[] {
  if (!Array.isArray(raw) || raw.length === 0) fail(label, `"redirectUris" must be a non-empty list of absolute URLs`);
  return raw.map((value) => {
    const uri = nonEmptyString(value, label, "redirectUris");
    const url = parseUrl(uri, label, "redirectUris");
    if (url.protocol !== "https:" && url.protocol !== "http:") fail(label, `redirect URI "${uri}" must use http or https`);
    if (production && url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)) {
      fail(label, `redirect URI "${uri}" must use https in production (http only for localhost)`);
    }
    // The token request repeats the URI without a query; a query would make the two differ.
    if (url.search || url.hash || uri.includes("#") || uri.includes("?")) fail(label, `redirect URI "${uri}" must not have a query or fragment`);
    return uri;
  });
}

function parseEntry(entry: unknown, index: number, production: boolean): OAuthProviderConfig {
  let label = `OIDC_PROVIDERS[${index}]`;
  if (!entry || typeof entry !== "object" || Array.isArray(entry)) fail(label, "each provider must be a JSON object");
  const raw = entry as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!FIELDS.includes(key)) fail(label, `unknown field "${key}" (expected ${FIELDS.join(", ")})`);
  }
  if (typeof raw.id !== "string" || !ID_PATTERN.test(raw.id)) {
    fail(label, `"id" must be 1 to 32 lower-case letters, digits, '-' or '_', starting with a letter or digit`);
  }
  const id = raw.id;
  label = `${label} ("${id}")`;
  const preset = PROVIDER_PRESETS[id];
  const kind = preset?.kind ?? "oidc";
  let issuer: string | null = null;
  if (kind === "github") {
    if (raw.issuer !== undefined) fail(label, `GitHub has fixed endpoints; leave "issuer" out`);
  } else {
    if (raw.issuer === undefined && !preset?.issuer) fail(label, `"issuer" is required (the provider's OpenID issuer URL)`);
    issuer = issuerOf(raw.issuer ?? preset?.issuer, label, production);
  }
  return {
    id,
    name: raw.name === undefined && preset ? preset.name : nonEmptyString(raw.name, label, "name", 64),
    kind,
    issuer,
    clientId: nonEmptyString(raw.clientId, label, "clientId"),
    clientSecret: nonEmptyString(raw.clientSecret, label, "clientSecret"),
    scopes: scopesOf(raw.scopes, label, preset?.scopes ?? DEFAULT_OIDC_SCOPES, kind),
    redirectUris: redirectUrisOf(raw.redirectUris, label, production),
  };
}

/**
 * Parses OIDC_PROVIDERS: a JSON list of { id, name, issuer, clientId, clientSecret, scopes,
 * redirectUris }. Ids "google", "microsoft" and "github" fill name, issuer and scopes when left
 * out. Unset or empty means no social sign-in.
 */
export function parseOAuthProviders(text: string | undefined, options: { production: boolean }): OAuthProviderConfig[] {
  if (text === undefined || text.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`OIDC_PROVIDERS is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new ConfigError("OIDC_PROVIDERS must be a JSON list (array) of providers");
  const providers = parsed.map((entry, index) => parseEntry(entry, index, options.production));
  const seen = new Set<string>();
  for (const provider of providers) {
    if (seen.has(provider.id)) throw new ConfigError(`OIDC_PROVIDERS: the id "${provider.id}" appears twice`);
    seen.add(provider.id);
  }
  return providers;
}

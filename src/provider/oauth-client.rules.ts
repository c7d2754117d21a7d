import { Errors } from "../common/app-error";
import { unsafeCharacterIn } from "../common/text-safety";
import type { OAuthClientFields } from "./oauth-client.store";

/** The grant types a client may be registered for (the contract's four). */
export const CLIENT_GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"] as const;
/** The scopes the provider offers; a client gets all of them when it names none. */
export const CLIENT_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

export const CLIENT_NAME_MAX = 100;
export const CLIENT_URIS_MAX = 10;
export const CLIENT_URI_MAX_LENGTH = 2048;

/** What createOAuthClient and updateOAuthClient receive, before the checks. */
export interface OAuthClientRequest {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[] | null;
  grantTypes: string[];
  public?: boolean | null;
  scopes?: string[] | null;
  firstParty?: boolean | null;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A redirect URI a client may use: absolute, https (or http on the loopback host, for
 * development), no fragment (RFC 6749 3.1.2) and no user information. Returned as given: the
 * engine compares redirect URIs character for character.
 */
function checkUri(field: string, raw: string): string {
  const uri = raw.trim();
  if (uri.length === 0 || uri.length > CLIENT_URI_MAX_LENGTH) throw Errors.badInput(field, `Each URI has 1 to ${CLIENT_URI_MAX_LENGTH} characters`);
  if (unsafeCharacterIn(uri) || /\s/.test(uri)) throw Errors.badInput(field, "A URI may not contain spaces or control characters");
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw Errors.badInput(field, "Each URI must be an absolute URL");
  }
  if (uri.includes("#")) throw Errors.badInput(field, "A URI may not have a fragment (#...)");
  if (url.username || url.password) throw Errors.badInput(field, "A URI may not carry a user name or password");
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw Errors.badInput(field, "A URI must use https (http only for localhost or 127.0.0.1)");
  }
  return uri;
}

function checkUris(field: string, uris: readonly string[]): string[] {
  if (uris.length > CLIENT_URIS_MAX) throw Errors.badInput(field, `At most ${CLIENT_URIS_MAX} URIs`);
  return [...new Set(uris.map((uri) => checkUri(field, uri)))];
}

function checkSubset(field: string, values: readonly string[], allowed: readonly string[]): string[] {
  if (values.length > allowed.length * 2) throw Errors.badInput(field, `At most ${allowed.length} values`);
  const unique = [...new Set(values.map((value) => value.trim()))];
  const unknown = unique.filter((value) => !allowed.includes(value));
  if (unknown.length > 0) throw Errors.badInput(field, `Unknown value(s): ${unknown.slice(0, 4).join(", ").slice(0, 200)}; known: ${allowed.join(", ")}`);
  if (unique.length === 0) throw Errors.badInput(field, `Name at least one of: ${allowed.join(", ")}`);
  // The engine and the answers list them in one order, whatever order they came in.
  return allowed.filter((value) => unique.includes(value));
}

/** The checked, normalized fields of a client, or BAD_USER_INPUT naming the first field at fault. */
export function checkClientRequest(input: OAuthClientRequest): OAuthClientFields {
  const name = input.name.trim();
  if (name.length === 0 || name.length > CLIENT_NAME_MAX) throw Errors.badInput("name", `name has 1 to ${CLIENT_NAME_MAX} characters`);
  if (unsafeCharacterIn(name)) throw Errors.badInput("name", "name may not contain control or invisible formatting characters");
  const redirectUris = checkUris("redirectUris", input.redirectUris);
  const postLogoutRedirectUris = checkUris("postLogoutRedirectUris", input.postLogoutRedirectUris ?? []);
  const grantTypes = checkSubset("grantTypes", input.grantTypes, CLIENT_GRANT_TYPES);
  const scopes = input.scopes == null ? [...CLIENT_SCOPES] : checkSubset("scopes", input.scopes, CLIENT_SCOPES);
  const isPublic = input.public ?? false;
  if (isPublic && grantTypes.includes("client_credentials")) {
    throw Errors.badInput("grantTypes", "A public client has no secret, so it cannot use client_credentials");
  }
  if (grantTypes.includes("authorization_code") && redirectUris.length === 0) {
    throw Errors.badInput("redirectUris", "authorization_code needs at least one redirect URI");
  }
  if (grantTypes.includes("refresh_token") && !grantTypes.some((type) => type === "authorization_code" || type === "urn:ietf:params:oauth:grant-type:device_code")) {
    throw Errors.badInput("grantTypes", "refresh_token comes only with authorization_code or the device code grant");
  }
  return { name, redirectUris, postLogoutRedirectUris, grantTypes, scopes, public: isPublic, firstParty: input.firstParty ?? false };
}

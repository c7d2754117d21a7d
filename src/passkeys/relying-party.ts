import { Errors } from "../common/app-error";

/** Who passkeys are made for: the RP ID they are bound to, the name browsers show, the page origins accepted. */
export interface RelyingParty {
  rpId: string;
  rpName: string;
  origins: string[];
}

/** A begun ceremony waits this long; the browser is told the same as its timeout. */
export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60_000;

/** Every ceremony requires user verification (PIN, biometrics): a passkey is two factors in one. */
export const USER_VERIFICATION = "required" as const;

/** The largest responseJson accepted; real ones are a few kilobytes. */
const MAX_RESPONSE_JSON = 64 * 1024;

/**
 * The browser's credential as JSON (what @simplewebauthn/browser or PublicKeyCredential.toJSON()
 * give), with the shape checked that the library reads before it verifies anything; null when it
 * is not one.
 */
export function parseCredentialJson<T extends { id: string; rawId: string; type: string; response: object }>(json: string): T | null {
  if (json.length > MAX_RESPONSE_JSON) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object") return null;
  const candidate = value as Record<string, unknown>;
  const response = candidate.response as Record<string, unknown> | undefined;
  if (typeof candidate.id !== "string" || !candidate.id || candidate.id.length > 1024) return null;
  if (typeof candidate.rawId !== "string" || candidate.type !== "public-key") return null;
  if (!response || typeof response !== "object" || typeof response.clientDataJSON !== "string") return null;
  if (typeof candidate.clientExtensionResults !== "object" || candidate.clientExtensionResults === null) {
    candidate.clientExtensionResults = {};
  }
  return value as T;
}

/** The WebAuthn user handle of an account: its id as UTF-8, no personal data. */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, "utf8"));
}

/** A passkey's name: trimmed, 1 to 64 characters; absent or blank is no name. */
export function passkeyName(name: string | null | undefined, required = false): string | null {
  const trimmed = name?.trim() ?? "";
  if (!trimmed) {
    if (required) throw Errors.badInput("name", "A passkey name must not be empty");
    return null;
  }
  if ([...trimmed].length > 64) throw Errors.badInput("name", "A passkey name must be at most 64 characters");
  return trimmed;
}

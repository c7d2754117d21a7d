import type { OAuthProviderConfig } from "./provider-config";
import type { ProviderIdentity } from "./provider-identity";

export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
}

export interface CodeExchange {
  code: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

/** One configured provider: builds the authorization URL and turns a code into an identity. */
export interface SignInProvider {
  readonly config: OAuthProviderConfig;
  authorizationUrl(request: AuthorizationRequest): Promise<string>;
  /** Exchanges the code (PKCE) and verifies the answer; throws ProviderError. */
  exchange(exchange: CodeExchange): Promise<ProviderIdentity>;
}

/**
 * "unavailable": the provider could not be reached (retry later). "rejected": it answered, but
 * the code was refused or its answer did not verify. `detail` is for logs and holds no secrets.
 */
export class ProviderError extends Error {
  constructor(
    readonly kind: "unavailable" | "rejected",
    readonly detail: string,
    readonly errorCode?: string,
  ) {
    super(`${kind}: ${detail}`);
    this.name = "ProviderError";
  }
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_SOCKET"]);

/** The parts of a thrown value (and its causes) that tell a network failure. */
interface ThrownLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
}

function unreachable(error: unknown): boolean {
  for (let current = error as ThrownLike | undefined, depth = 0; current && depth < 5; current = current.cause as ThrownLike | undefined, depth++) {
    if (current.name === "TimeoutError" || current.name === "AbortError") return true;
    if (current.code !== undefined && NETWORK_CODES.has(current.code)) return true;
    if (current instanceof TypeError && current.message === "fetch failed") return true;
  }
  return false;
}

/** Classifies anything the OAuth library or fetch threw. */
export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const any = error as { message?: string; code?: string; error?: string; status?: number; cause?: { status?: unknown } } | undefined;
  if (unreachable(error)) return new ProviderError("unavailable", any?.message ?? "network error", any?.code);
  // The provider's own 5xx answers are outages too, not refusals.
  const status = any?.status ?? any?.cause?.status;
  if (typeof status === "number" && status >= 500) return new ProviderError("unavailable", `HTTP ${status}`, any?.code);
  const detail = any?.error ? `${any.error}: ${any.message ?? ""}` : (any?.message ?? String(error));
  return new ProviderError("rejected", detail.slice(0, 300), any?.code);
}

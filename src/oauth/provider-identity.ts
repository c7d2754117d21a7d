import { unsafeCharacterIn, withoutUnsafeCharacters } from "../common/text-safety";

/** Who the provider says the person is, reduced to what sign-in needs. */
export interface ProviderIdentity {
  /** The provider's stable id for the person (OIDC `sub`). */
  subject: string;
  email: string | null;
  /** Only an explicit "verified" from the provider counts; absent means unverified. */
  emailVerified: boolean;
  name: string | null;
  pictureUrl: string | null;
  preferredUsername: string | null;
}

const MAX_SUBJECT = 255;
const MAX_EMAIL = 254;
const MAX_NAME = 200;
const MAX_URL = 2048;

function text(value: unknown, max: number): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed && trimmed.length <= max ? trimmed : null;
}

/** Pictures are links the browser loads as they are: only https ones are kept. */
export function httpsUrl(value: unknown): string | null {
  const url = text(value, MAX_URL);
  if (!url) return null;
  try {
    return new URL(url).protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** Maps OpenID Connect claims (ID token merged with userinfo) to an identity. */
export function identityFromClaims(claims: Record<string, unknown>): ProviderIdentity {
  const subject = text(claims.sub, MAX_SUBJECT);
  if (!subject) throw new Error("the provider's answer has no usable subject");
  const email = text(claims.email, MAX_EMAIL);
  return {
    subject,
    email,
    emailVerified: email !== null && (claims.email_verified === true || claims.email_verified === "true"),
    name: text(claims.name, MAX_NAME),
    pictureUrl: httpsUrl(claims.picture),
    preferredUsername: text(claims.preferred_username, MAX_NAME),
  };
}

/**
 * What a provider says is text we keep, shown to people and admins: names lose control,
 * invisible and bidirectional characters (text-safety.ts); a subject holding one is refused (it
 * is an identifier, not to be altered); an e-mail or picture link holding one is dropped.
 */
export function cleanProviderIdentity(identity: ProviderIdentity): ProviderIdentity {
  if (unsafeCharacterIn(identity.subject) !== undefined) throw new Error("the provider's subject holds control characters");
  const cleanName = (value: string | null) => (value === null ? null : withoutUnsafeCharacters(value) || null);
  const dropUnsafe = (value: string | null) => (value !== null && unsafeCharacterIn(value) !== undefined ? null : value);
  const email = dropUnsafe(identity.email);
  return {
    subject: identity.subject,
    email,
    emailVerified: email !== null && identity.emailVerified,
    name: cleanName(identity.name),
    pictureUrl: dropUnsafe(identity.pictureUrl),
    preferredUsername: cleanName(identity.preferredUsername),
  };
}

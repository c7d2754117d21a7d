import { sanitizeUsername, USERNAME_PATTERN } from "../accounts";
import type { ProviderIdentity } from "./provider-identity";

/** The username a new account starts from: the provider's username, the e-mail's local part or the name. */
export function baseUsername(identity: Pick<ProviderIdentity, "preferredUsername" | "email" | "name">): string {
  const sources = [identity.preferredUsername, identity.email?.split("@")[0], identity.name];
  for (const source of sources) {
    if (!source) continue;
    const candidate = sanitizeUsername(source);
    if (USERNAME_PATTERN.test(candidate)) return candidate;
  }
  return "user";
}

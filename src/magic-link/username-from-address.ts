import { sanitizeUsername, USERNAME_PATTERN } from "../accounts";

/** The username a sign-up by link starts from: the address's local part, cleaned; "user" when nothing is left. */
export function baseUsername(email: string): string {
  const candidate = sanitizeUsername(email.split("@")[0] ?? "");
  return USERNAME_PATTERN.test(candidate) ? candidate : "user";
}

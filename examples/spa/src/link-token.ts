/** The `token` of the link that opened this page, or "" when the address has none. */
export function linkToken(): string {
  return new URLSearchParams(window.location.search).get("token") ?? "";
}

/** The path of this server's page that a mailed sign-in link opens. */
export const MAGIC_LINK_PATH = "/magic-link";

/** The link a sign-in mail carries: PUBLIC_URL/magic-link?token=<token>. */
export function magicLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${MAGIC_LINK_PATH}?token=${token}`;
}

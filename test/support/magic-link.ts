import type { TestServer } from "./test-server";

export const REQUEST_MAGIC_LINK = /* GraphQL */ `
  mutation RequestMagicLink($email: String!, $redirectUri: String) { requestMagicLink(email: $email, redirectUri: $redirectUri) }
`;

export const SIGN_IN_WITH_MAGIC_LINK = /* GraphQL */ `
  mutation SignInWithMagicLink($token: String!, $cookie: Boolean, $expiresInMinutes: Int) {
    signInWithMagicLink(token: $token, cookie: $cookie, expiresInMinutes: $expiresInMinutes) {
      __typename
      ... on AuthPayload { accessToken refreshToken accessTokenExpiresAt session { id } user { id username email emailVerified } }
      ... on TwoFactorChallenge { challengeToken methods }
    }
  }
`;

export const MAGIC_LINK_SUBJECT = "Your sign-in link";
/** The origin a browser app on PUBLIC_URL sends. */
export const BROWSER_ORIGIN = "http://localhost:4000";

/** The token of the newest sign-in link queued for `email` (read from the outbox), or undefined. */
export async function queuedMagicToken(server: TestServer, email: string): Promise<string | undefined> {
  const mails = await server.app.database.prisma.outboxMail.findMany({ where: { to: email }, orderBy: { createdAt: "desc" } });
  return mails.map((mail) => /\/magic-link\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1]).find(Boolean);
}

/** How many sign-in mails were queued for `email`. */
export async function queuedMagicLinks(server: TestServer, email: string): Promise<number> {
  const mails = await server.app.database.prisma.outboxMail.findMany({ where: { to: email } });
  return mails.filter((mail) => mail.text.includes("/magic-link?token=")).length;
}

/** The value of a cookie set by a response, or undefined. */
export function setCookie(headers: Headers, name: string): string | undefined {
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(";");
    const [key, value] = pair.split("=");
    if (key.trim() === name) return value;
  }
  return undefined;
}

/** Asks for a link as a browser on PUBLIC_URL would: returns the binding cookie it was given. */
export async function requestFromBrowser(server: TestServer, email: string, cookie?: string): Promise<string> {
  const { body, headers } = await server.gql(REQUEST_MAGIC_LINK, { email }, { headers: { origin: BROWSER_ORIGIN, ...(cookie ? { cookie } : {}) } });
  if (body.data?.requestMagicLink !== true) throw new Error(`requestMagicLink failed: ${JSON.stringify(body.errors)}`);
  const nonce = setCookie(headers, "lk_magic");
  if (!nonce) throw new Error("no lk_magic cookie was set");
  return `lk_magic=${nonce}`;
}

/** Asks for a link as a native app would (no Origin): the link is not bound. */
export async function requestUnbound(server: TestServer, email: string, redirectUri?: string): Promise<void> {
  const { body } = await server.gql(REQUEST_MAGIC_LINK, { email, redirectUri });
  if (body.data?.requestMagicLink !== true) throw new Error(`requestMagicLink failed: ${JSON.stringify(body.errors)}`);
}

import type { TestServer } from "./test-server";
import type { ReceivedMail } from "./smtp";
import { registerVerifiedUser, type RegisteredUser } from "./accounts";

export const REQUEST_EMAIL_CODE = /* GraphQL */ `
  mutation ($email: String!) { requestEmailCode(email: $email) { challengeToken expiresAt codeLength } }
`;

export const SIGN_IN_WITH_EMAIL_CODE = /* GraphQL */ `
  mutation ($challengeToken: String!, $code: String!, $expiresInMinutes: Int, $cookie: Boolean) {
    signInWithEmailCode(challengeToken: $challengeToken, code: $code, expiresInMinutes: $expiresInMinutes, cookie: $cookie) {
      __typename
      ... on AuthPayload { accessToken refreshToken user { id username } session { id current } }
      ... on TwoFactorChallenge { challengeToken methods expiresAt }
    }
  }
`;

export const CODE_SUBJECT = "Your sign-in code";

export interface EmailCodeChallenge {
  challengeToken: string;
  expiresAt: string;
  codeLength: number;
}

/** requestEmailCode, expecting a challenge. */
export async function requestCode(server: TestServer, email: string, headers?: Record<string, string>): Promise<EmailCodeChallenge> {
  const { body } = await server.gql(REQUEST_EMAIL_CODE, { email }, { headers });
  if (body.errors) throw new Error(`requestEmailCode failed: ${JSON.stringify(body.errors)}`);
  return body.data.requestEmailCode;
}

export function signInWithCode(server: TestServer, challengeToken: string, code: string, extra: Record<string, unknown> = {}) {
  return server.gql(SIGN_IN_WITH_EMAIL_CODE, { challengeToken, code, ...extra });
}

/** The code in a received mail (the digits on a line of their own in the text part). */
export function codeInMail(mail: ReceivedMail): string {
  const match = /^(\d{8})\r?$/m.exec(mail.decoded);
  if (!match) throw new Error("no code in the mail");
  return match[1];
}

/** The code of the newest code mail queued to `email`, read from the outbox (no SMTP needed). */
export async function codeFromOutbox(server: TestServer, email: string): Promise<string> {
  const mail = await server.app.database.prisma.outboxMail.findFirst({ where: { to: email, subject: CODE_SUBJECT }, orderBy: { createdAt: "desc" } });
  const match = mail ? /^(\d{8})$/m.exec(mail.text) : null;
  if (!match) throw new Error(`no code mailed to ${email}`);
  return match[1];
}

/** A code that is not `code` (same length). */
export function wrongCode(code: string, n = 1): string {
  return String((Number(code) + n) % 100_000_000).padStart(8, "0");
}

/** A user with a verified address, a challenge for it and the code mailed (read from the outbox). */
export async function userWithCode(server: TestServer): Promise<{ user: RegisteredUser; challenge: EmailCodeChallenge; code: string }> {
  const user = await registerVerifiedUser(server);
  const challenge = await requestCode(server, user.email);
  const code = await codeFromOutbox(server, user.email);
  return { user, challenge, code };
}

import type { TestServer } from "./test-server";
import type { ReceivedMail, TestSmtpServer } from "./smtp";

export const NEW_PASSWORD = "copper-meadow-whistle-88";

export const REQUEST_RESET = /* GraphQL */ `mutation ($email: String!) { requestPasswordReset(email: $email) }`;
export const RESET_PASSWORD = /* GraphQL */ `mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) }`;
export const PASSKEY_RESET = /* GraphQL */ `mutation ($input: PasskeyResetInput!) { resetPasswordWithPasskey(input: $input) }`;
export const REQUEST_VERIFICATION = /* GraphQL */ `mutation { requestEmailVerification }`;
export const VERIFY_EMAIL = /* GraphQL */ `mutation ($token: String!) { verifyEmail(token: $token) { id email emailVerified } }`;

export const RESET_SUBJECT = "Reset your password";
export const VERIFY_SUBJECT = "Confirm your e-mail address";

/** Runs the server's outbox sender until nothing due is left. */
export function deliverMail(server: TestServer) {
  return server.app.services.mailSender.drain();
}

/** Received mails to an address with a subject. */
export function mailsTo(smtp: TestSmtpServer, address: string, subject: string): ReceivedMail[] {
  return smtp.to(address).filter((mail) => mail.decoded.includes(`Subject: ${subject}`));
}

import type { TestServer } from "./test-server";
import { LOGIN, STRONG_PASSWORD, login, registerUser, type RegisteredUser } from "./accounts";
import { hotpFor, totpFor } from "./otp";

export const BEGIN_TOTP = /* GraphQL */ `mutation { beginTotpEnrollment { secret otpauthUrl qrCodeDataUrl } }`;
export const BEGIN_HOTP = /* GraphQL */ `mutation { beginHotpEnrollment { secret otpauthUrl qrCodeDataUrl } }`;
export const CONFIRM = /* GraphQL */ `mutation($code: String!) { confirmTwoFactorEnrollment(code: $code) { codes } }`;
export const DISABLE = /* GraphQL */ `mutation($code: String!) { disableTwoFactor(code: $code) }`;
export const REGENERATE = /* GraphQL */ `mutation($code: String!) { regenerateRecoveryCodes(code: $code) { codes } }`;
export const VERIFY = /* GraphQL */ `
  mutation Verify($input: TwoFactorLoginInput!) {
    verifyTwoFactorLogin(input: $input) {
      accessToken accessTokenExpiresAt refreshToken
      session { id current }
      user { id username email twoFactorEnabled }
    }
  }
`;
export const LOGIN_WITH_CHALLENGE = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on AuthPayload { accessToken }
      ... on TwoFactorChallenge { challengeToken methods expiresAt }
    }
  }
`;
export const TWO_FACTOR_ENABLED = /* GraphQL */ `query { me { twoFactorEnabled } }`;

const STEP_MS = 30_000;

/**
 * Moves the server clock to one second into the next 30-second step and returns that time, so
 * a code computed now stays in its step for the rest of the test and is newer than any used.
 */
export function nextTotpStep(server: TestServer): Date {
  const now = server.clock.now().getTime();
  server.clock.advance(STEP_MS - (now % STEP_MS) + 1_000);
  return server.clock.now();
}

/** The code an authenticator app shows right now, after moving to a fresh step. */
export function nextTotpCode(server: TestServer, secret: string): string {
  return totpFor(secret, nextTotpStep(server));
}

export interface TwoFactorUser extends RegisteredUser {
  accessToken: string;
  secret: string;
  recoveryCodes: string[];
}

/** A registered, signed-in user with TOTP (or HOTP, counter 0 spent on confirmation) turned on. */
export async function userWithTwoFactor(server: TestServer, method: "TOTP" | "HOTP" = "TOTP"): Promise<TwoFactorUser> {
  const user = await registerUser(server);
  const { accessToken } = await login(server, user.username);
  const begun = await server.gql(method === "TOTP" ? BEGIN_TOTP : BEGIN_HOTP, {}, { token: accessToken });
  if (begun.body.errors) throw new Error(`enrollment failed: ${JSON.stringify(begun.body.errors)}`);
  const enrollment = method === "TOTP" ? begun.body.data.beginTotpEnrollment : begun.body.data.beginHotpEnrollment;
  const code = method === "TOTP" ? nextTotpCode(server, enrollment.secret) : hotpFor(enrollment.secret, 0);
  const confirmed = await server.gql(CONFIRM, { code }, { token: accessToken });
  if (confirmed.body.errors) throw new Error(`confirmation failed: ${JSON.stringify(confirmed.body.errors)}`);
  return { ...user, accessToken, secret: enrollment.secret, recoveryCodes: confirmed.body.data.confirmTwoFactorEnrollment.codes };
}

/** Signs in with the password and returns the challenge the server answers with. */
export async function passwordStep(server: TestServer, identifier: string, extra: Record<string, unknown> = {}) {
  const { body } = await server.gql(LOGIN_WITH_CHALLENGE, { input: { identifier, password: STRONG_PASSWORD, ...extra } });
  if (body.errors) throw new Error(`login failed: ${JSON.stringify(body.errors)}`);
  if (body.data.login.__typename !== "TwoFactorChallenge") throw new Error("expected a two-factor challenge");
  return body.data.login as { challengeToken: string; methods: string[]; expiresAt: string };
}

export function verify(server: TestServer, challengeToken: string, code: string, options: { headers?: Record<string, string> } = {}) {
  return server.gql(VERIFY, { input: { challengeToken, code } }, options);
}

export { LOGIN };

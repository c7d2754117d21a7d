import { randomBytes } from "node:crypto";
import type { TestServer } from "./test-server";

export const STRONG_PASSWORD = "violet-harbour-lantern-42";
export const SECRET_PASSKEY = "offline recovery words 7";

export function uniqueName(prefix = "user"): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}

export const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) { userId user { id username email role emailVerified } }
  }
`;

export const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on AuthPayload {
        accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt
        session { id current }
        user { id username email }
      }
    }
  }
`;

export const ME = /* GraphQL */ `query { me { id username email role } }`;

export interface RegisteredUser {
  id: string;
  username: string;
  email: string;
  password: string;
}

export async function registerUser(server: TestServer, overrides: Partial<{ username: string; email: string | null; password: string }> = {}): Promise<RegisteredUser> {
  const username = overrides.username ?? uniqueName();
  const email = overrides.email === undefined ? `${username}@example.com` : overrides.email;
  const password = overrides.password ?? STRONG_PASSWORD;
  const result = await server.gql(REGISTER, { input: { username, password, secretPasskey: SECRET_PASSKEY, email } });
  if (result.body.errors) throw new Error(`register failed: ${JSON.stringify(result.body.errors)}`);
  return { id: result.body.data.register.userId, username, email: email ?? "", password };
}

export async function login(server: TestServer, identifier: string, password = STRONG_PASSWORD, extra: Record<string, unknown> = {}) {
  const result = await server.gql(LOGIN, { input: { identifier, password, ...extra } });
  if (result.body.errors) throw new Error(`login failed: ${JSON.stringify(result.body.errors)}`);
  return result.body.data.login as {
    accessToken: string;
    refreshToken: string;
    accessTokenExpiresAt: string;
    session: { id: string };
    user: { id: string; username: string; email: string | null };
  };
}

/** A new account, signed in: the registered user and an access token for it. */
export async function registerSignedInUser(server: TestServer): Promise<RegisteredUser & { token: string }> {
  const user = await registerUser(server);
  return { ...user, token: (await login(server, user.username)).accessToken };
}

/** The payload of a JWT, decoded without verification (for asserting claims). */
export function jwtPayload(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}

export const REFRESH = /* GraphQL */ `
  mutation Refresh($token: String) {
    refreshSession(refreshToken: $token) {
      accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt
      session { id current }
      user { id }
    }
  }
`;

export const MY_SESSIONS = /* GraphQL */ `query { mySessions { id current userAgent ip createdAt lastSeenAt expiresAt } }`;

/** `me` succeeds with this token. */
export async function isAccepted(server: TestServer, token: string): Promise<boolean> {
  const { body } = await server.gql(ME, {}, { token });
  if (body.data?.me) return true;
  if (body.errors?.[0]?.extensions?.code !== "UNAUTHENTICATED") throw new Error(`unexpected: ${JSON.stringify(body)}`);
  return false;
}

/** Follows the newest verification link mailed to `email` (read from the outbox). */
export async function verifyAddress(server: TestServer, email: string): Promise<void> {
  const mails = await server.app.database.prisma.outboxMail.findMany({ where: { to: email }, orderBy: { createdAt: "desc" } });
  const token = mails.map((mail) => /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1]).find(Boolean);
  if (!token) throw new Error(`no verification link mailed to ${email}`);
  const { body } = await server.gql(`mutation ($token: String!) { verifyEmail(token: $token) { emailVerified } }`, { token });
  if (!body.data?.verifyEmail.emailVerified) throw new Error(`verifyEmail failed: ${JSON.stringify(body.errors)}`);
}

/**
 * registerUser, then the verification link mailed at sign-up followed: an account whose address
 * is proven, as adding passkeys and linking providers need.
 */
export async function registerVerifiedUser(
  server: TestServer,
  overrides: Partial<{ username: string; email: string; password: string }> = {},
): Promise<RegisteredUser> {
  const user = await registerUser(server, overrides);
  await verifyAddress(server, user.email);
  return user;
}

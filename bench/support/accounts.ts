// Accounts the scenarios sign in with.
import { gql, graphqlBody } from "./load";

export const PASSWORD = "bench-violet-harbour-42";

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { user { id } } }`;
const LOGIN = `mutation ($input: LoginInput!) {
  login(input: $input) { ... on AuthPayload { accessToken refreshToken } }
}`;

/**
 * The scenarios send thousands of requests a second from one address, far past any per-IP
 * limit, so the limits of the fields they measure are turned off (RATE_LIMIT_<KEY>=off), as
 * behind a gateway that limits instead.
 */
export const UNLIMITED = {
  RATE_LIMIT_LOGIN: "off",
  RATE_LIMIT_LOGIN_IP: "off",
  RATE_LIMIT_REGISTER: "off",
  RATE_LIMIT_REFRESH_SESSION: "off",
};

export async function registerUsers(url: string, count: number, prefix = "bench"): Promise<string[]> {
  const usernames = Array.from({ length: count }, (_, i) => `${prefix}_${i}`);
  // A few at a time: registration hashes twice (password and secret passkey).
  for (let i = 0; i < usernames.length; i += 4) {
    await Promise.all(
      usernames.slice(i, i + 4).map((username) =>
        gql(url, REGISTER, { input: { username, password: PASSWORD, secretPasskey: "bench offline words 7" } }),
      ),
    );
  }
  return usernames;
}

export async function signIn(url: string, username: string, password = PASSWORD): Promise<{ accessToken: string; refreshToken: string }> {
  const data = await gql(url, LOGIN, { input: { identifier: username, password, expiresInMinutes: 120 } });
  return data.login;
}

/** Login request bodies, one user after another. */
export function loginBodies(usernames: string[]): () => string {
  const bodies = usernames.map((username) => graphqlBody(LOGIN, { input: { identifier: username, password: PASSWORD } }));
  let next = 0;
  return () => bodies[next++ % bodies.length];
}

export const loginSucceeded = (body: string) => body.includes('"accessToken"');

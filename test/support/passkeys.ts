import type { TestServer } from "./test-server";
import { SoftwareAuthenticator, type CeremonyOverrides } from "./software-authenticator";

export const BEGIN_REGISTRATION = /* GraphQL */ `mutation { beginPasskeyRegistration }`;
export const FINISH_REGISTRATION = /* GraphQL */ `
  mutation Finish($responseJson: String!, $name: String) {
    finishPasskeyRegistration(responseJson: $responseJson, name: $name) { id name createdAt lastUsedAt }
  }
`;
export const BEGIN_LOGIN = /* GraphQL */ `
  mutation Begin($identifier: String) { beginPasskeyLogin(identifier: $identifier) { challengeToken optionsJson } }
`;
export const FINISH_LOGIN = /* GraphQL */ `
  mutation FinishLogin($challengeToken: String!, $responseJson: String!) {
    finishPasskeyLogin(challengeToken: $challengeToken, responseJson: $responseJson) {
      accessToken refreshToken session { id current } user { id username twoFactorEnabled }
    }
  }
`;
export const RENAME = /* GraphQL */ `mutation Rename($id: ID!, $name: String!) { renamePasskey(id: $id, name: $name) { id name } }`;
export const REMOVE = /* GraphQL */ `mutation Remove($id: ID!) { removePasskey(id: $id) }`;
export const MY_PASSKEYS = /* GraphQL */ `query { me { id passkeys { id name createdAt lastUsedAt } } }`;

export interface AddedPasskey {
  authenticator: SoftwareAuthenticator;
  id: string;
}

/** Both steps of registration for a signed-in user; throws when either is refused. */
export async function addPasskey(
  server: TestServer,
  token: string,
  options: { name?: string; authenticator?: SoftwareAuthenticator } = {},
): Promise<AddedPasskey> {
  const authenticator = options.authenticator ?? new SoftwareAuthenticator();
  const begun = await server.gql(BEGIN_REGISTRATION, {}, { token });
  if (begun.body.errors) throw new Error(`beginPasskeyRegistration failed: ${JSON.stringify(begun.body.errors)}`);
  const responseJson = authenticator.register(begun.body.data.beginPasskeyRegistration);
  const finished = await server.gql(FINISH_REGISTRATION, { responseJson, name: options.name ?? null }, { token });
  if (finished.body.errors) throw new Error(`finishPasskeyRegistration failed: ${JSON.stringify(finished.body.errors)}`);
  return { authenticator, id: finished.body.data.finishPasskeyRegistration.id };
}

/** beginPasskeyLogin; returns the token and the parsed request options. */
export async function beginLogin(server: TestServer, identifier?: string | null) {
  const begun = await server.gql(BEGIN_LOGIN, { identifier: identifier ?? null });
  if (begun.body.errors) throw new Error(`beginPasskeyLogin failed: ${JSON.stringify(begun.body.errors)}`);
  const start = begun.body.data.beginPasskeyLogin as { challengeToken: string; optionsJson: string };
  return { ...start, options: JSON.parse(start.optionsJson) };
}

/** A whole passkey sign-in; returns the raw finishPasskeyLogin response. */
export async function passkeyLogin(
  server: TestServer,
  authenticator: SoftwareAuthenticator,
  options: { identifier?: string | null; overrides?: CeremonyOverrides } = {},
) {
  const start = await beginLogin(server, options.identifier);
  return server.gql(FINISH_LOGIN, { challengeToken: start.challengeToken, responseJson: authenticator.assert(start.optionsJson, options.overrides) });
}

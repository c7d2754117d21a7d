import * as client from "openid-client";
import type { OAuthProviderConfig } from "./provider-config";
import { httpsUrl, type ProviderIdentity } from "./provider-identity";
import { toProviderError, type AuthorizationRequest, type CodeExchange, type SignInProvider } from "./sign-in-provider";

const GITHUB = {
  issuer: "https://github.com",
  authorization_endpoint: "https://github.com/login/oauth/authorize",
  token_endpoint: "https://github.com/login/oauth/access_token",
};
const API = "https://api.github.com";

/** The parts of GitHub's `GET /user` answer that sign-in reads. */
export interface GitHubUser {
  id: number;
  login: string;
  name?: string | null;
  email?: string | null;
  avatar_url?: string | null;
}

/** One entry of `GET /user/emails`. */
export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * GitHub's user API answers as an identity: the numeric id is the subject (logins can be
 * renamed), and the e-mail is the primary address with GitHub's own verified flag.
 */
export function githubIdentity(user: GitHubUser, emails: GitHubEmail[]): ProviderIdentity {
  if (typeof user?.id !== "number") throw new Error("GitHub's user answer has no id");
  const primary = Array.isArray(emails) ? emails.find((entry) => entry.primary) : undefined;
  const email = primary?.email ?? user.email ?? null;
  return {
    subject: String(user.id),
    email: email && email.length <= 254 ? email : null,
    emailVerified: Boolean(email && primary && primary.email === email && primary.verified === true),
    name: user.name?.trim() || null,
    pictureUrl: httpsUrl(user.avatar_url),
    preferredUsername: user.login || null,
  };
}

/**
 * GitHub sign-in: plain OAuth 2 (no ID token, no discovery) with PKCE and state through
 * openid-client, then the identity from GitHub's REST API.
 */
export class GitHubSignInProvider implements SignInProvider {
  private readonly configuration: client.Configuration;

  constructor(
    readonly config: OAuthProviderConfig,
    options: { timeoutSeconds: number },
  ) {
    this.configuration = new client.Configuration(GITHUB, config.clientId, config.clientSecret);
    this.configuration.timeout = options.timeoutSeconds;
  }

  async authorizationUrl(request: AuthorizationRequest): Promise<string> {
    return client.buildAuthorizationUrl(this.configuration, {
      redirect_uri: request.redirectUri,
      scope: this.config.scopes.join(" "),
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: "S256",
    }).href;
  }

  async exchange(exchange: CodeExchange): Promise<ProviderIdentity> {
    try {
      const callback = new URL(exchange.redirectUri);
      callback.searchParams.set("code", exchange.code);
      callback.searchParams.set("state", exchange.state);
      const tokens = await client.authorizationCodeGrant(this.configuration, callback, {
        pkceCodeVerifier: exchange.codeVerifier,
        expectedState: exchange.state,
      });
      const [user, emails] = await Promise.all([
        this.api<GitHubUser>(tokens.access_token, "/user"),
        // Without the user:email grant there is no address list; sign-in goes on without e-mail.
        this.api<GitHubEmail[]>(tokens.access_token, "/user/emails").catch(() => []),
      ]);
      return githubIdentity(user, emails);
    } catch (error) {
      throw toProviderError(error);
    }
  }

  private async api<T>(accessToken: string, path: string): Promise<T> {
    const headers = new Headers({ accept: "application/vnd.github+json", "user-agent": "latchkey", "x-github-api-version": "2022-11-28" });
    const response = await client.fetchProtectedResource(this.configuration, accessToken, new URL(API + path), "GET", undefined, headers);
    if (!response.ok) throw Object.assign(new Error(`GitHub API ${path} answered ${response.status}`), { status: response.status });
    return (await response.json()) as T;
  }
}

import * as client from "openid-client";
import type { OAuthProviderConfig } from "./provider-config";
import { identityFromClaims, type ProviderIdentity } from "./provider-identity";
import { toProviderError, type AuthorizationRequest, type CodeExchange, type SignInProvider } from "./sign-in-provider";

export interface OidcOptions {
  /** Seconds each request to the provider may take. */
  timeoutSeconds: number;
}

/**
 * An OpenID Connect provider through openid-client: discovery from the issuer's
 * /.well-known/openid-configuration, authorization code flow with PKCE (S256), state and
 * nonce, and ID tokens checked for issuer, audience, nonce, expiry and their signature against
 * the provider's JWKS.
 */
export class OidcSignInProvider implements SignInProvider {
  private discovered?: Promise<client.Configuration>;

  constructor(
    readonly config: OAuthProviderConfig,
    private readonly options: OidcOptions,
  ) {}

  /**
   * Discovered on first use and kept for the life of the process, so starting the server never
   * waits for the provider; a failed discovery is forgotten and tried again on the next call.
   */
  private configuration(): Promise<client.Configuration> {
    this.discovered ??= this.discover().catch((error) => {
      this.discovered = undefined;
      throw toProviderError(error);
    });
    return this.discovered;
  }

  private async discover(): Promise<client.Configuration> {
    const issuer = new URL(this.config.issuer!);
    // Config only lets http issuers through outside production.
    const execute = issuer.protocol === "http:" ? [client.allowInsecureRequests] : [];
    const configuration = await client.discovery(issuer, this.config.clientId, this.config.clientSecret, undefined, {
      execute,
      timeout: this.options.timeoutSeconds,
    });
    // Without this the ID token's signature is taken on trust of TLS; with it, it is checked against the JWKS.
    client.enableNonRepudiationChecks(configuration);
    return configuration;
  }

  async authorizationUrl(request: AuthorizationRequest): Promise<string> {
    const configuration = await this.configuration();
    return client.buildAuthorizationUrl(configuration, {
      redirect_uri: request.redirectUri,
      scope: this.config.scopes.join(" "),
      state: request.state,
      nonce: request.nonce,
      code_challenge: request.codeChallenge,
      code_challenge_method: "S256",
    }).href;
  }

  async exchange(exchange: CodeExchange): Promise<ProviderIdentity> {
    const configuration = await this.configuration();
    try {
      const metadata = configuration.serverMetadata();
      // The client hands us code and state; rebuild the redirect the provider made. The flow is
      // bound to this provider already, so its issuer is the `iss` the response would carry.
      const callback = new URL(exchange.redirectUri);
      callback.searchParams.set("code", exchange.code);
      callback.searchParams.set("state", exchange.state);
      if (metadata.authorization_response_iss_parameter_supported) callback.searchParams.set("iss", metadata.issuer);
      const tokens = await client.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: exchange.codeVerifier,
        expectedState: exchange.state,
        expectedNonce: exchange.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error("the provider returned no ID token");
      // Providers may keep e-mail and profile claims out of the ID token; userinfo has them,
      // and openid-client checks that it speaks of the same subject.
      const userinfo = metadata.userinfo_endpoint ? await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub) : {};
      return identityFromClaims({ ...userinfo, ...idClaims });
    } catch (error) {
      throw toProviderError(error);
    }
  }
}

import * as client from "openid-client";
import type { Logger } from "pino";
import type { User } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import type { SignInService } from "../sign-in";
import type { Metrics } from "../metrics";
import type { ProviderRegistry } from "./provider-registry";
import type { OAuthFlowService, TakenFlow } from "./oauth-flow.service";
import type { OAuthAccountService } from "./oauth-account.service";
import { cleanProviderIdentity, type ProviderIdentity } from "./provider-identity";
import { toProviderError, type SignInProvider } from "./sign-in-provider";

export interface OAuthCompleteData {
  provider: string;
  code: string;
  state: string;
  /** The binding the app kept from startOAuthLogin, if it sends one. */
  binding?: string | null;
}

/** Binding values the caller presented besides the input's: the lk_oauth cookie. */
export interface FlowProof {
  cookie?: string;
}

/** Whatever password sign-in answers (tokens, or a two-factor challenge once that exists). */
export type SignInResult = Awaited<ReturnType<SignInService["signInProven"]>>;

const MAX_CODE_LENGTH = 4096;

/**
 * Social sign-in: start (authorization URL with PKCE, state and nonce kept server-side),
 * complete (code exchange, verified identity, then the linked, e-mail-matched or new user
 * signs in through the same path as a password sign-in), link and unlink.
 */
export class OAuthService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly flows: OAuthFlowService,
    private readonly accounts: OAuthAccountService,
    private readonly login: SignInService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  providers(): Array<{ id: string; name: string }> {
    return this.registry.list();
  }

  /** A signed-in caller starts a flow that can also link; anyone else, a sign-in flow. */
  async start(
    providerId: string,
    redirectUri: string,
    viewerId: string | undefined,
    binding: string,
  ): Promise<{ authorizationUrl: string; state: string; binding: string }> {
    const provider = this.registry.get(providerId);
    if (!provider.config.redirectUris.includes(redirectUri)) {
      throw Errors.badInput("redirectUri", "That redirect URI is not allowed for this provider");
    }
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
    let authorizationUrl: string;
    try {
      authorizationUrl = await provider.authorizationUrl({ redirectUri, state, nonce, codeChallenge });
    } catch (error) {
      const failure = toProviderError(error);
      this.logger.warn({ provider: providerId, detail: failure.detail }, "sign-in provider discovery failed");
      throw Errors.serviceUnavailable("The sign-in provider is unavailable; retry later");
    }
    await this.flows.create({
      state,
      binding,
      provider: provider.config.id,
      redirectUri,
      codeVerifier,
      nonce,
      purpose: viewerId ? "LINK" : "LOGIN",
      userId: viewerId ?? null,
    });
    return { authorizationUrl, state, binding };
  }

  async complete(input: OAuthCompleteData, proof: FlowProof, origin: AuditOrigin): Promise<SignInResult> {
    const provider = this.registry.get(input.provider);
    this.assertCode(input.code);
    const flow = await this.flows.take(input.state, provider.config.id, { purpose: "LOGIN", bindings: [input.binding, proof.cookie] });
    const identity = await this.exchange(provider, input, flow, origin, true);
    const user = await this.accounts.resolveForSignIn(provider.config.id, identity, origin);
    if (user.deletedAt) {
      await this.recordFailure(provider.config.id, user.id, "DELETED_ACCOUNT", origin);
      throw Errors.invalidCredentials();
    }
    if (this.login.isDisabled(user)) throw Errors.accountDisabled(user.disabledUntil);
    return this.login.signInProven(
      user,
      { accessTtlSeconds: this.login.accessLifetimeSeconds(undefined), auditMetadata: { method: "OAUTH", provider: provider.config.id }, method: "OAUTH" },
      origin,
    );
  }

  /** Links a provider account to the signed-in user, with a flow that user started. */
  async link(userId: string, input: OAuthCompleteData, proof: FlowProof, origin: AuditOrigin): Promise<User> {
    const provider = this.registry.get(input.provider);
    this.assertCode(input.code);
    await this.accounts.assertMayLink(userId);
    const flow = await this.flows.take(input.state, provider.config.id, {
      purpose: "LINK",
      linkFor: userId,
      bindings: [input.binding, proof.cookie],
    });
    const identity = await this.exchange(provider, input, flow, origin, false);
    return this.accounts.linkToUser(userId, provider.config, identity, origin);
  }

  async unlink(userId: string, providerId: string, origin: AuditOrigin): Promise<User> {
    const configured = new Set(this.registry.list().map((provider) => provider.id));
    return this.accounts.unlink(userId, providerId, configured, origin);
  }

  pruneFlows(): Promise<number> {
    return this.flows.prune();
  }

  private assertCode(code: string): void {
    if (!code || code.length > MAX_CODE_LENGTH) throw Errors.badInput("code", "The authorization code is missing or too long");
  }

  /** The verified identity; a refused or unverifiable answer is UNAUTHENTICATED, an outage SERVICE_UNAVAILABLE. */
  private async exchange(
    provider: SignInProvider,
    input: OAuthCompleteData,
    flow: TakenFlow,
    origin: AuditOrigin,
    signingIn: boolean,
  ): Promise<ProviderIdentity> {
    try {
      const identity = await provider.exchange({
        code: input.code,
        state: input.state,
        nonce: flow.nonce,
        codeVerifier: flow.codeVerifier,
        redirectUri: flow.redirectUri,
      });
      return cleanProviderIdentity(identity);
    } catch (error) {
      const failure = toProviderError(error);
      this.logger.warn(
        { provider: provider.config.id, kind: failure.kind, code: failure.errorCode, detail: failure.detail, reqId: origin.requestId },
        "sign-in provider answer refused",
      );
      if (signingIn) {
        const reason = failure.kind === "unavailable" ? "PROVIDER_UNAVAILABLE" : "PROVIDER_REJECTED";
        await this.recordFailure(provider.config.id, null, reason, origin);
      }
      if (failure.kind === "unavailable") throw Errors.serviceUnavailable("The sign-in provider is unavailable; retry later");
      throw Errors.unauthenticated("Sign-in with the provider failed");
    }
  }

  private async recordFailure(provider: string, userId: string | null, reason: string, origin: AuditOrigin): Promise<void> {
    this.metrics.logins.inc({ result: "failure" });
    await this.audit.record({ type: AuditEventType.LOGIN_FAILED, userId, origin, metadata: { method: "OAUTH", provider, reason } });
  }
}

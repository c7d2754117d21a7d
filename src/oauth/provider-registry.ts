import { Errors } from "../common/app-error";
import type { OAuthProviderConfig } from "./provider-config";
import type { SignInProvider } from "./sign-in-provider";
import { OidcSignInProvider } from "./oidc-sign-in-provider";
import { GitHubSignInProvider } from "./github-sign-in-provider";

/** Seconds any single request to a provider may take. */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** The configured providers by id; each discovers its provider lazily, on first use. */
export class ProviderRegistry {
  private readonly providers: Map<string, SignInProvider>;

  constructor(configs: OAuthProviderConfig[]) {
    const options = { timeoutSeconds: PROVIDER_TIMEOUT_SECONDS };
    this.providers = new Map(
      configs.map((config) => [
        config.id,
        config.kind === "github" ? new GitHubSignInProvider(config, options) : new OidcSignInProvider(config, options),
      ]),
    );
  }

  list(): Array<{ id: string; name: string }> {
    return [...this.providers.values()].map(({ config }) => ({ id: config.id, name: config.name }));
  }

  has(id: string): boolean {
    return this.providers.has(id);
  }

  /** The provider, or BAD_USER_INPUT on `field` when none is configured under that id. */
  get(id: string, field = "provider"): SignInProvider {
    const provider = this.providers.get(id);
    if (!provider) throw Errors.badInput(field, "No sign-in provider is configured under that id");
    return provider;
  }
}

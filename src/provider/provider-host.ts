import type Provider from "oidc-provider";

/**
 * Holds the running engine. Its signing keys are fixed when it is made, so after a key rotation
 * (picked up by the periodic key refresh) a new engine is made over the same database state and
 * cookie keys; requests already inside the old one finish there.
 */
export class ProviderHost {
  private engine: Provider;
  private handler: ReturnType<Provider["callback"]>;
  private keyVersion: string;

  constructor(
    private readonly make: () => Provider,
    private readonly currentKeyVersion: () => string,
  ) {
    this.keyVersion = currentKeyVersion();
    this.engine = make();
    this.handler = this.engine.callback();
  }

  get provider(): Provider {
    return this.engine;
  }

  /** The engine's request handler (made once per engine: koa composes its middleware in it). */
  get callback(): ReturnType<Provider["callback"]> {
    return this.handler;
  }

  /** Makes a new engine when the key store's published keys changed. */
  refreshKeys(): void {
    const version = this.currentKeyVersion();
    if (version === this.keyVersion) return;
    this.keyVersion = version;
    this.engine = this.make();
    this.handler = this.engine.callback();
  }
}

import type { InvalidationBus } from "../sessions";
import type { ProviderClientRow } from "./oauth-client.store";

/** What the engine's client adapter reads a client through. */
export interface ProviderClientSource {
  findForEngine(clientId: string): Promise<ProviderClientRow | null>;
}

interface Entry {
  row: ProviderClientRow;
  until: number;
}

/**
 * Registered clients kept in memory, so a token request reads its client without a statement.
 * A change (update, secret rotation, deletion: OAuthClientService announces it after its commit
 * on the invalidation bus) drops the entry on every process at once; a read already under way
 * when it is heard is not kept. While the bus cannot promise that every process hears it (Redis
 * away, or several processes without Redis), nothing is cached. Unknown client ids are never
 * cached, so random ids cannot fill memory; known clients are few, and `maxEntries` bounds them.
 */
export class CachedProviderClients implements ProviderClientSource {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every change heard: a read that began before it is not cached. */
  private generation = 0;

  constructor(
    private readonly store: ProviderClientSource,
    private readonly bus: InvalidationBus | undefined,
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now,
  ) {
    bus?.subscribe(
      (message) => {
        if ("oauthClientId" in message) this.forget(message.oauthClientId);
      },
      () => {
        this.generation++;
        this.entries.clear();
      },
    );
  }

  /** Drops the client at once: this process hears its own announcements only when Redis echoes them. */
  forget(clientId: string): void {
    this.generation++;
    this.entries.delete(clientId);
  }

  async findForEngine(clientId: string): Promise<ProviderClientRow | null> {
    const cached = this.entries.get(clientId);
    if (cached && cached.until > this.now() && this.caching()) return cached.row;
    const generation = this.generation;
    const row = await this.store.findForEngine(clientId);
    if (row && generation === this.generation && this.caching()) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(clientId, { row, until: this.now() + this.ttlMs });
    }
    return row;
  }

  private caching(): boolean {
    return this.ttlMs > 0 && this.bus !== undefined && this.bus.healthy();
  }
}

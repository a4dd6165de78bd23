/**
 * The clouds a running Peerlink works with: each cloud's descriptor at once, its adapter (and so its SDK) loaded the
 * first time a peering of that cloud needs it. Tests may hand in adapters of their own.
 */
import { clouds, cloudOf, type ProviderName } from './registry.js';
import type { AdapterOptions, AnyCloud, CloudAdapter } from './provider.js';

export class CloudCatalog {
  private readonly loaded = new Map<string, Promise<CloudAdapter>>();

  constructor(
    private readonly options: (cloud: string) => AdapterOptions = () => ({}),
    overrides: Partial<Record<ProviderName, CloudAdapter>> = {},
  ) {
    for (const [name, adapter] of Object.entries(overrides)) this.loaded.set(name, Promise.resolve(adapter));
  }

  /** Every registered cloud. */
  all(): readonly AnyCloud[] {
    return clouds;
  }

  descriptor(name: ProviderName): AnyCloud {
    return cloudOf(name);
  }

  /** The cloud's adapter, loading its SDK on first use. */
  adapter(name: ProviderName): Promise<CloudAdapter> {
    let adapter = this.loaded.get(name);
    if (!adapter) {
      adapter = cloudOf(name).adapter(this.options(name));
      // a failed load is tried again next time rather than remembered
      void adapter.catch(() => this.loaded.delete(name));
      this.loaded.set(name, adapter);
    }
    return adapter;
  }
}

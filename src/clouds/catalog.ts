/**
 * The clouds a running Peerlink works with: each cloud's descriptor at once, its adapter (and so its SDK) loaded the
 * first time a peering of that cloud needs it. Tests may hand in adapters of their own.
 */
import { clouds, cloudOf, type ProviderName } from './registry.js';
import type { AdapterOptions, AnyCloud, CloudAdapter, PlatformTarget } from './provider.js';
import { inTarget } from './pacer.js';

async function* inTargetEach<T>(target: PlatformTarget, pages: AsyncGenerator<T>): AsyncGenerator<T> {
  for (;;) {
    const page = await inTarget(target, () => pages.next());
    if (page.done) return;
    yield page.value;
  }
}

/** The adapter with each call made in its platform account's scope, so the pacer knows whose limits it spends. */
function scoped(a: CloudAdapter): CloudAdapter {
  const { connections: c, acceptor, requester, locator, routes } = a;
  return {
    connections: {
      observe: (t, ref) => inTarget(t, () => c.observe(t, ref)),
      list: (t) => inTargetEach(t, c.list(t)),
      close: (t, ref, current) => inTarget(t, () => c.close(t, ref, current)),
    },
    ...(acceptor && { acceptor: { accept: (t, ref) => inTarget(t, () => acceptor.accept(t, ref)) } }),
    ...(requester && {
      requester: {
        precheck: (t, ref) => inTarget(t, () => requester.precheck(t, ref)),
        request: (t, ref) => inTarget(t, () => requester.request(t, ref)),
      },
    }),
    ...(locator && { locator: { locate: (t, between) => inTarget(t, () => locator.locate(t, between)) } }),
    ...(routes && {
      routes: {
        observe: (t, id, tables) => inTarget(t, () => routes.observe(t, id, tables)),
        create: (t, id, refs) => inTarget(t, () => routes.create(t, id, refs)),
        remove: (t, id, refs) => inTarget(t, () => routes.remove(t, id, refs)),
      },
    }),
  };
}

export class CloudCatalog {
  private readonly loaded = new Map<string, Promise<CloudAdapter>>();

  constructor(
    private readonly options: (cloud: string) => AdapterOptions = () => ({}),
    overrides: Partial<Record<ProviderName, CloudAdapter>> = {},
  ) {
    for (const [name, adapter] of Object.entries(overrides)) this.loaded.set(name, Promise.resolve(scoped(adapter)));
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
      adapter = cloudOf(name).adapter(this.options(name)).then(scoped);
      // a failed load is tried again next time rather than remembered
      void adapter.catch(() => this.loaded.delete(name));
      this.loaded.set(name, adapter);
    }
    return adapter;
  }
}

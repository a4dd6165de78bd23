/**
 * What every adapter needs and none should write again: one timed, classified call wrapper, a client cache per
 * account, "ignore these codes", and the transport error codes every SDK surfaces from Node.
 */
import { ProviderError, type AdapterOptions, type PlatformTarget } from './provider.js';

/** Node's own transport failures, whichever SDK surfaces them: the cloud never answered. */
export const networkCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/**
 * One cloud call: paced by the cloud's rate limits (it waits for its turn), timed, its failure classified by the
 * cloud's own rules (keeping the SDK's error as `cause`).
 */
export async function providerCall<T>(
  target: PlatformTarget,
  operation: string,
  fn: () => Promise<T>,
  classify: (operation: string, err: unknown) => ProviderError,
  options: Pick<AdapterOptions, 'onCall' | 'pace'> = {},
): Promise<T> {
  await options.pace?.before(operation, target);
  const started = performance.now();
  try {
    const out = await fn();
    options.pace?.after(operation, target, null);
    options.onCall?.(operation, 'ok', (performance.now() - started) / 1000);
    return out;
  } catch (err) {
    const e = err instanceof ProviderError ? err : classify(operation, err);
    options.pace?.after(operation, target, e);
    options.onCall?.(operation, e.kind, (performance.now() - started) / 1000);
    throw e;
  }
}

/** Runs `call`; a ProviderError with one of `codes` counts as done (an idempotent delete, a duplicate create). */
export async function ignoring(codes: readonly string[], call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err) {
    if (err instanceof ProviderError && codes.includes(err.providerCode)) return false;
    throw err;
  }
}

/** SDK clients kept per platform account (endpoint, region, key): built once, reused by every call. */
export class ClientCache<T> {
  private readonly clients = new Map<string, T>();

  constructor(private readonly build: (target: PlatformTarget) => T) {}

  get(target: PlatformTarget): T {
    const key = [target.endpoint ?? '', target.region, target.accountId, JSON.stringify(target.credentials)].join('|');
    let client = this.clients.get(key);
    if (!client) {
      client = this.build(target);
      this.clients.set(key, client);
    }
    return client;
  }
}

/** A credential field the cloud's schema requires (validated when the account was registered). */
export function credential(target: PlatformTarget, key: string): string {
  const value = target.credentials[key];
  if (value === undefined) throw new Error(`platform account ${target.accountId} has no credential "${key}"`);
  return value;
}

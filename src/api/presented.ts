/**
 * The peering list, computed once per write instead of on every read. Each peering's presentation is remembered as
 * JSON text per (peering, locale) with the row's version (counted up by every UPDATE of the row): a page is one
 * narrow query for ids and versions, a full read of only the peerings that changed since they were last shown, and a
 * body joined from remembered text. Serialized by the response schema's own compiled serializer, so the text is
 * byte for byte what Fastify would send. Bounded; the least recently used are forgotten.
 */
import fastJson from 'fast-json-stringify';
import type { Locale } from '../core/errors.js';
import type { PeeringStatus } from '../core/status.js';
import type { PeeringRepo } from '../store/peerings.js';
import { presentPeering } from './present.js';
import * as S from './schemas.js';

export interface ListQuery {
  deploymentId?: string;
  status?: PeeringStatus;
  limit: number;
  cursor?: [string, string] | null;
}

export class PresentedPeerings {
  private readonly remembered = new Map<string, { version: number; json: string }>();
  private serialize: ((item: object) => string) | undefined;

  constructor(
    private readonly peerings: PeeringRepo,
    private readonly max = 10_000,
  ) {}

  /** One page of the organization's peerings, as the response body (`{items, nextCursor}`). */
  async page(orgId: string, query: ListQuery, locale: Locale): Promise<string> {
    const page = await this.peerings.listVersions(orgId, query);
    const items: Array<string | undefined> = page.items.map((p) => this.recall(locale, p.id, p.version));
    const stale = page.items.filter((_, i) => items[i] === undefined).map((p) => p.id);
    if (stale.length > 0) {
      const fresh = new Map<string, string>();
      for (const { peering, version } of await this.peerings.getMany(orgId, stale)) {
        const json = this.serializer()(presentPeering(peering, locale));
        this.remember(locale, peering.id, version, json);
        fresh.set(peering.id, json);
      }
      page.items.forEach((p, i) => (items[i] ??= fresh.get(p.id)));
    }
    // a peering gone between the two reads is simply not on this page
    const body = items.filter((j) => j !== undefined).join(',');
    return `{"items":[${body}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
  }

  private serializer(): (item: object) => string {
    return (this.serialize ??= fastJson(S.Peering));
  }

  private recall(locale: Locale, id: string, version: number): string | undefined {
    const key = `${locale} ${id}`;
    const hit = this.remembered.get(key);
    if (!hit || hit.version !== version) return undefined;
    this.remembered.delete(key); // most recently used last
    this.remembered.set(key, hit);
    return hit.json;
  }

  private remember(locale: Locale, id: string, version: number, json: string): void {
    const key = `${locale} ${id}`;
    this.remembered.delete(key);
    this.remembered.set(key, { version, json });
    if (this.remembered.size > this.max) this.remembered.delete(this.remembered.keys().next().value ?? '');
  }
}

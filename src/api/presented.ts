/**
 * Peerings as the API shows them, computed once per write instead of on every read. Each presentation is remembered
 * as JSON text per (peering, locale) with the row's version (counted up by every UPDATE of the row):
 * - a list page is one narrow query for ids and versions, a full read of only the peerings that changed since they
 *   were last shown, and a body joined from remembered text;
 * - one peering (with its deployment's facts and the customer's guidance) is one narrow query for its version and,
 *   when that is the remembered one, the remembered text. Its deployment and platform account are never updated
 *   (only inserted), so the peering's version alone says whether the text is current.
 * Serialized by the response schemas' own compiled serializers, so the text is byte for byte what Fastify would
 * send. Bounded; the least recently used are forgotten.
 */
import fastJson from 'fast-json-stringify';
import { LRUCache } from 'lru-cache';
import type { Locale } from '../core/errors.js';
import type { PeeringStatus } from '../core/status.js';
import type { Peering, PeeringRepo } from '../store/peerings.js';
import { presentPeering } from './present.js';
import * as S from './schemas.js';

export interface ListQuery {
  deploymentId?: string;
  status?: PeeringStatus;
  limit: number;
  cursor?: [string, string] | null;
}

interface Remembered {
  version: number;
  json: string;
}

/** Text remembered per (locale, peering) with the version it shows. */
class Memory {
  private readonly texts: LRUCache<string, Remembered>;
  constructor(max: number) {
    this.texts = new LRUCache({ max });
  }
  recall(locale: Locale, id: string, version: number): string | undefined {
    const hit = this.texts.get(`${locale} ${id}`);
    return hit?.version === version ? hit.json : undefined;
  }
  remember(locale: Locale, id: string, version: number, json: string): void {
    this.texts.set(`${locale} ${id}`, { version, json });
  }
}

export class PresentedPeerings {
  // a list item is ~0.5 KB, a detail (with its CLI and Terraform guidance) ~3.5 KB
  private readonly items: Memory;
  private readonly details: Memory;
  private serializeItem: ((item: object) => string) | undefined;
  private serializeDetail: ((detail: object) => string) | undefined;

  constructor(
    private readonly peerings: PeeringRepo,
    max = { items: 10_000, details: 2_000 },
  ) {
    this.items = new Memory(max.items);
    this.details = new Memory(max.details);
  }

  /** One page of the organization's peerings, as the response body (`{items, nextCursor}`). */
  async page(orgId: string, query: ListQuery, locale: Locale): Promise<string> {
    const page = await this.peerings.listVersions(orgId, query);
    const items: Array<string | undefined> = page.items.map((p) => this.items.recall(locale, p.id, p.version));
    const stale = page.items.filter((_, i) => items[i] === undefined).map((p) => p.id);
    if (stale.length > 0) {
      const fresh = new Map<string, string>();
      for (const { peering, version } of await this.peerings.getMany(orgId, stale)) {
        const json = (this.serializeItem ??= fastJson(S.Peering))(presentPeering(peering, locale));
        this.items.remember(locale, peering.id, version, json);
        fresh.set(peering.id, json);
      }
      page.items.forEach((p, i) => (items[i] ??= fresh.get(p.id)));
    }
    // a peering gone between the two reads is simply not on this page
    const body = items.filter((j) => j !== undefined).join(',');
    return `{"items":[${body}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
  }

  /**
   * One peering of the organization as the response body, `present` making the detail of a peering whose text is not
   * remembered at its current version; undefined when the organization has no such peering.
   */
  async detail(
    orgId: string,
    id: string,
    locale: Locale,
    present: (p: Peering) => Promise<object>,
  ): Promise<string | undefined> {
    const version = await this.peerings.versionOf(orgId, id);
    if (version === undefined) return undefined;
    const hit = this.details.recall(locale, id, version);
    if (hit !== undefined) return hit;
    const read = await this.peerings.getVersioned(orgId, id);
    if (!read) return undefined;
    const json = (this.serializeDetail ??= fastJson(S.PeeringDetail))(await present(read.peering));
    this.details.remember(locale, id, read.version, json);
    return json;
  }
}

/**
 * How an event looks on the wire — the same body in `GET /v1/events`, the stream, a webhook and an e-mail's data:
 * every reason in it (`{code, params}`) carries its message in both languages, worded in the peering's cloud's terms,
 * so a receiver can show it without a second call.
 */
import { isErrorCode, messageOf, type Locale } from '../core/errors.js';
import { cloudOf } from '../clouds/registry.js';
import type { StoredEvent } from '../store/outbox.js';

export interface EventBody {
  id: string;
  type: string;
  timestamp: string;
  organizationId: string | null;
  deploymentId: string | null;
  peeringId: string | null;
  data: Record<string, unknown>;
}

interface Reason {
  code: string;
  params: Record<string, string | number>;
}

function isReason(v: unknown): v is Reason {
  return typeof v === 'object' && v !== null && 'code' in v && 'params' in v && typeof v.code === 'string';
}

/** A reason with its message in one language. */
export function messageIn(r: Reason, locale: Locale, cloud?: string): string {
  if (!isErrorCode(r.code)) return r.code;
  return messageOf(r.code, r.params, locale, cloud ? cloudOf(cloud)?.messages : undefined);
}

export function renderEvent(e: StoredEvent): EventBody {
  const peering = e.data.peering as { provider?: string } | undefined;
  const cloud = peering?.provider;
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(e.data)) {
    data[key] = isReason(value)
      ? {
          code: value.code,
          details: value.params,
          message: { en: messageIn(value, 'en', cloud), 'zh-CN': messageIn(value, 'zh-CN', cloud) },
        }
      : value;
  }
  return {
    id: e.id,
    type: e.type,
    timestamp: e.at,
    organizationId: e.orgId,
    deploymentId: e.deploymentId,
    peeringId: e.peeringId,
    data,
  };
}

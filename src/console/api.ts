/** The console speaks only to Peerlink's public API, same origin, with the organization key and the chosen language. */
import type { Static } from 'typebox';
import type * as S from '../api/schemas';
import { dictionaries, type Lang } from './i18n';

/** A refusal or failure as the API words it: `{code, message, details}` with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
    /** the server's message in each language, when it sent both */
    readonly messages?: Partial<Record<Lang, string>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message in `lang` where the server gave it, else as received (a refusal follows a language switch). */
  in(lang: Lang): string {
    return this.messages?.[lang] ?? this.message;
  }
}

/** The error body's fields, when the body is one. */
function errorFields(data: unknown): { code?: unknown; message?: unknown; details?: unknown; messages?: unknown } {
  return typeof data === 'object' && data !== null ? data : {};
}

/** server time minus browser time, from the x-peerlink-time header of the latest answer */
export let clockOffsetMs = 0;

export class Api {
  constructor(
    /** the organization key (the event stream sends it too) */
    readonly key: string,
    private readonly lang: Lang,
    /** a 401: the key is no longer valid (revoked, expired); the console goes back to sign-in with the reason */
    private readonly onUnauthorized?: (e: ApiError) => void,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${this.key}`,
          'accept-language': this.lang,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      // the browser's own words ("Failed to fetch") are neither translated nor helpful
      throw new ApiError(0, 'NETWORK', dictionaries[this.lang].networkError, {});
    }
    const serverTime = res.headers.get('x-peerlink-time');
    if (serverTime) clockOffsetMs = Date.parse(serverTime) - Date.now();
    const text = await res.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      // a proxy's HTML error page, say: keep the status, word it ourselves
    }
    if (!res.ok) {
      const e = errorFields(data);
      const err = new ApiError(
        res.status,
        typeof e.code === 'string' ? e.code : 'HTTP',
        typeof e.message === 'string' ? e.message : res.statusText,
        typeof e.details === 'object' && e.details !== null ? (e.details as Record<string, unknown>) : {},
        typeof e.messages === 'object' && e.messages !== null ? e.messages : undefined,
      );
      if (res.status === 401) this.onUnauthorized?.(err);
      throw err;
    }
    // the server's schemas (from which these types derive) shape what it sends
    return data as T;
  }
}

/*
 * The wire shapes, derived from the API's own schemas (one source of truth: a field the server adds or renames is a
 * type error here). Type-only imports: nothing of the server reaches the bundle.
 */
export type Deployment = Static<typeof S.Deployment>;
export type Reason = NonNullable<Static<typeof S.Reason>>;
export type Peering = Static<typeof S.Peering>;
export type PeeringStatus = Peering['status'];
export type Guidance = Static<typeof S.Guidance>;
export type Facts = Static<typeof S.PeeringFacts>;
export type CidrCheckResult = Static<typeof S.CidrCheckResult>;
export type FormField = Facts['form'][number];
export type PeeringDetail = Static<typeof S.PeeringDetail>;
export type PeeringEvent = Static<typeof S.Event>;
export type Resource = Static<typeof S.Resource>;
export type Cloud = Static<typeof S.Cloud>;
export interface DemoAction {
  key: string;
  label: string;
  stage: 'before-submit' | 'after-submit';
  statuses: PeeringStatus[];
}
export interface DemoResult {
  values: Record<string, string | string[]>;
  note: string;
}

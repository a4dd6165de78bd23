/** The console speaks only to Peerlink's public API, same origin, with the organization key and the chosen language. */
import type { Lang } from './i18n';

export interface ApiError {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** server time minus browser time, from the x-peerlink-time header of the latest answer */
export let clockOffsetMs = 0;

export class Api {
  constructor(
    private readonly key: string,
    private readonly lang: Lang,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        'accept-language': this.lang,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const serverTime = res.headers.get('x-peerlink-time');
    if (serverTime) clockOffsetMs = Date.parse(serverTime) - Date.now();
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (!res.ok)
      throw {
        status: res.status,
        code: data?.code ?? 'HTTP',
        message: data?.message ?? res.statusText,
        details: data?.details ?? {},
      } satisfies ApiError;
    return data as T;
  }
}

export interface Deployment {
  id: string;
  name: string;
  plan: string;
  provider: string;
  region: string;
  vpcId: string;
  vpcCidr: string;
}
export interface Reason {
  code: string;
  message: string;
  details: Record<string, unknown>;
}
export interface Peering {
  id: string;
  deploymentId: string;
  provider: string;
  providerPeeringId: string | null;
  customerAccountId: string;
  customerVpcId: string;
  customerCidrs: string[];
  region: string;
  status: string;
  reason: Reason | null;
  providerStatus: string | null;
  deadlineAt: string | null;
  retry: { attempts: number; lastError: string; nextAttemptAt: string | null } | null;
  createdAt: string;
}
export interface Guidance {
  steps: Array<{ en: string; 'zh-CN': string }>;
  commands: string;
  terraform: string;
}
export interface Facts {
  deploymentId: string;
  provider: string;
  eligible: boolean;
  refusal: Reason | null;
  facts: Array<{ key: string; label: string; value: string }>;
  form: Array<{ key: string; label: string; expected: string; pattern: string }>;
  guidance: Guidance;
}
export interface PeeringDetail extends Peering {
  customerSide: { routeDestination: string; securityGroupSource: string; guidance: Guidance };
}
export interface PeeringEvent {
  id: string;
  at: string;
  actor: string;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: Reason | null;
  note: string;
}
export interface Resource {
  id: string;
  deploymentId: string;
  peeringId: string;
  name: string;
  address: string;
}

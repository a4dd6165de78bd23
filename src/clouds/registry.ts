/**
 * The one list of clouds. Everything that lists clouds — the runtime, the API, the console's data, the simulator, the
 * demo, `peerlink sim`, the benchmarks, the test harness — reads it; adding a cloud is its folder and one line here.
 */
import { alibaba } from './alibaba/index.js';
import { aws } from './aws/index.js';
import { azure } from './azure/index.js';
import { gcp } from './gcp/index.js';
import { huawei } from './huawei/index.js';
import { tencent } from './tencent/index.js';
import type { AnyCloud } from './provider.js';

export const clouds = [aws, alibaba, huawei, tencent, gcp, azure] as const satisfies readonly AnyCloud[];

export type ProviderName = (typeof clouds)[number]['name'];

export const providerNames: readonly ProviderName[] = clouds.map((c) => c.name);

export type { AnyCloud };

export function isProviderName(name: string): name is ProviderName {
  return (providerNames as readonly string[]).includes(name);
}

export function cloudOf(name: ProviderName): AnyCloud;
export function cloudOf(name: string): AnyCloud | undefined;
export function cloudOf(name: string): AnyCloud | undefined {
  return clouds.find((c) => c.name === name);
}

/** What a reconcile step needs: the work queue and the rows, the clouds, the rules, and time, randomness and a name. */
import type { Clock } from '../core/clock.js';
import type { RulesConfig } from '../core/rules.js';
import type { CloudCatalog } from '../clouds/catalog.js';
import type { Metrics } from '../metrics.js';
import type { PeeringLeases } from '../store/peering-leases.js';
import type { PeeringRepo } from '../store/peerings.js';
import type { PlatformRepo } from '../store/platform.js';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface StepDeps {
  peerings: PeeringRepo;
  leases: PeeringLeases;
  platform: PlatformRepo;
  clouds: CloudCatalog;
  clock: Clock;
  rules: RulesConfig;
  log: Logger;
  /** in [0, 1): the jitter of backoff */
  random: () => number;
  /** this instance's name: the owner of the leases it takes */
  owner: string;
  leaseMs: number;
  metrics?: Metrics;
}

/** What one step did, and whether to step the same peering again at once (an in-process kick keeps going). */
export interface StepResult {
  outcome: 'busy' | 'steady' | 'waiting' | 'transitioned' | 'acted' | 'retrying' | 'error';
  again: boolean;
  /** the peering's cloud, once claimed (the metrics' label) */
  cloud?: string;
}

/** What the service's commands need: the store, the clouds, the rules and the clock. */
import type { Clock } from '../core/clock.js';
import type { RulesConfig } from '../core/rules.js';
import type { CloudCatalog } from '../clouds/catalog.js';
import type { Store } from '../store/db.js';
import type { Repos } from '../store/repos.js';

export interface ServiceDeps {
  store: Store;
  repos: Repos;
  clouds: CloudCatalog;
  rules: RulesConfig;
  clock: Clock;
}

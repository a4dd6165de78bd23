/**
 * Typed configuration from the environment, validated at start-up with errors that name the bad key.
 * With nothing set, Peerlink runs embedded: SQLite in ./data, loopback only.
 */
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { defaultRulesConfig, parseReservedRanges } from './core/rules.js';

const Schema = Type.Object({
  database: Type.String({ minLength: 1 }),
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  operatorToken: Type.Optional(Type.String({ minLength: 16 })),
  allowedPlans: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  reservedRanges: Type.Array(Type.String()),
  peeringQuota: Type.Integer({ minimum: 1, maximum: 10_000 }),
  searchWindowMinutes: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 }),
  approvalWindowMinutes: Type.Integer({ minimum: 1, maximum: 24 * 60 }),
  sweepIntervalMs: Type.Integer({ minimum: 1_000 }),
  tickMs: Type.Integer({ minimum: 50 }),
  leaseMs: Type.Integer({ minimum: 500 }),
  poolSize: Type.Integer({ minimum: 1, maximum: 200 }),
  logLevel: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});
export type Config = Static<typeof Schema>;

/** env var -> config key, and how to read it */
const env: Array<[string, keyof Config, (v: string) => unknown]> = [
  ['PEERLINK_DATABASE', 'database', String],
  ['PEERLINK_HOST', 'host', String],
  ['PEERLINK_PORT', 'port', Number],
  ['PEERLINK_OPERATOR_TOKEN', 'operatorToken', String],
  [
    'PEERLINK_ALLOWED_PLANS',
    'allowedPlans',
    (v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
  ],
  [
    'PEERLINK_RESERVED_RANGES',
    'reservedRanges',
    (v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
  ],
  ['PEERLINK_PEERING_QUOTA', 'peeringQuota', Number],
  ['PEERLINK_SEARCH_WINDOW_MINUTES', 'searchWindowMinutes', Number],
  ['PEERLINK_APPROVAL_WINDOW_MINUTES', 'approvalWindowMinutes', Number],
  ['PEERLINK_SWEEP_INTERVAL_MS', 'sweepIntervalMs', Number],
  ['PEERLINK_TICK_MS', 'tickMs', Number],
  ['PEERLINK_LEASE_MS', 'leaseMs', Number],
  ['PEERLINK_DB_POOL_SIZE', 'poolSize', Number],
  ['PEERLINK_LOG_LEVEL', 'logLevel', String],
];

export const defaults: Config = {
  database: 'data/peerlink.db',
  host: '127.0.0.1',
  port: 8080,
  allowedPlans: [...defaultRulesConfig.allowedPlans],
  reservedRanges: [...defaultRulesConfig.reservedRanges],
  peeringQuota: defaultRulesConfig.peeringQuota,
  searchWindowMinutes: defaultRulesConfig.searchWindowMs / 60_000,
  approvalWindowMinutes: defaultRulesConfig.approvalWindowMs / 60_000,
  sweepIntervalMs: 30_000,
  tickMs: 1_000,
  leaseMs: 30_000,
  poolSize: 10,
  logLevel: 'info',
};

export class ConfigError extends Error {}

export function loadConfig(
  source: Record<string, string | undefined> = process.env,
  overrides: Partial<Config> = {},
): Config {
  const fromEnv: Partial<Record<keyof Config, unknown>> = {};
  for (const [name, key, read] of env) {
    const raw = source[name];
    if (raw !== undefined && raw !== '') fromEnv[key] = read(raw);
  }
  const config = { ...defaults, ...fromEnv, ...overrides } as Config;
  const [first] = Value.Errors(Schema, config);
  if (first) {
    const key = first.instancePath.split('/')[1] as keyof Config;
    const name = env.find(([, k]) => k === key)?.[0] ?? key;
    throw new ConfigError(`configuration ${name}: ${first.message} (got ${JSON.stringify(config[key])})`);
  }
  try {
    parseReservedRanges(config.reservedRanges);
  } catch (err) {
    throw new ConfigError(`configuration PEERLINK_RESERVED_RANGES: ${(err as Error).message}`);
  }
  return config;
}

export function rulesOf(c: Config) {
  return {
    allowedPlans: c.allowedPlans,
    reservedRanges: c.reservedRanges,
    peeringQuota: c.peeringQuota,
    searchWindowMs: c.searchWindowMinutes * 60_000,
    approvalWindowMs: c.approvalWindowMinutes * 60_000,
  };
}

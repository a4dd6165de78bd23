/**
 * Typed configuration from the environment, validated at start-up with errors that name the bad key.
 * With nothing set, Peerlink runs embedded: SQLite in ./data, loopback only.
 */
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { defaultKeyFile, SecretBox } from './store/secrets.js';
import { defaultRulesConfig, parseCidrPolicy, parseReservedRanges, type RulesConfig } from './core/rules.js';

const Schema = Type.Object({
  database: Type.String({ minLength: 1 }),
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  operatorToken: Type.Optional(Type.String({ minLength: 32 })),
  /** a credential for /metrics only (Prometheus); the operator token works too */
  metricsToken: Type.Optional(Type.String({ minLength: 32 })),
  allowedPlans: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  reservedRanges: Type.Array(Type.String()),
  allowedCustomerRanges: Type.Array(Type.String(), { minItems: 1 }),
  minCustomerPrefix: Type.Integer({ minimum: 1, maximum: 32 }),
  peeringQuota: Type.Integer({ minimum: 1, maximum: 10_000 }),
  searchWindowMinutes: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 }),
  approvalWindowMinutes: Type.Integer({ minimum: 1, maximum: 24 * 60 }),
  sweepIntervalMs: Type.Integer({ minimum: 1_000 }),
  tickMs: Type.Integer({ minimum: 50 }),
  leaseMs: Type.Integer({ minimum: 500 }),
  poolSize: Type.Integer({ minimum: 1, maximum: 200 }),
  /** the whole request (headers and body) must arrive within this */
  requestTimeoutMs: Type.Integer({ minimum: 1_000, maximum: 600_000 }),
  headersTimeoutMs: Type.Integer({ minimum: 1_000, maximum: 120_000 }),
  /** requests per minute: per API key, per organization, per address without a key */
  rateLimitPerKey: Type.Integer({ minimum: 1 }),
  rateLimitPerOrg: Type.Integer({ minimum: 1 }),
  rateLimitAnonymous: Type.Integer({ minimum: 1 }),
  /** per organization per minute: the commands that make Peerlink call a cloud (submit, retry, resync) */
  cloudBudgetPerOrg: Type.Integer({ minimum: 1 }),
  /** failed authentications per address per minute before it is refused for the rest of the minute */
  authFailuresPerMinute: Type.Integer({ minimum: 1 }),
  /** a customer's resync of one peering counts once per this many seconds */
  resyncCooldownSeconds: Type.Integer({ minimum: 0, maximum: 3_600 }),
  auditRetentionDays: Type.Integer({ minimum: 1, maximum: 3_650 }),
  /** how long events, deliveries and their attempts are kept once nothing waits on them */
  eventRetentionDays: Type.Integer({ minimum: 1, maximum: 3_650 }),
  /** pace every cloud call by the cloud's documented rate limits (off only to measure what pacing saves) */
  paceCloudCalls: Type.Boolean(),
  /** throttling answers for one platform account and region in a minute that tell the operator (platform.throttled) */
  throttleAlarmCount: Type.Integer({ minimum: 1, maximum: 100_000 }),
  /** `kid:base64key` entries, comma-separated, the first wrapping new secrets (docs/SECURITY.md) */
  secretKeys: Type.Optional(Type.String({ minLength: 1 })),
  /** a file of such entries, one per line */
  secretKeyFile: Type.Optional(Type.String({ minLength: 1 })),
  /** webhooks may target private, loopback and link-local addresses (off: only public addresses; issue 16) */
  webhookAllowPrivateTargets: Type.Boolean(),
  /** how long a webhook delivery is retried, and how long a webhook may fail before it is disabled */
  webhookRetryMinutes: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 }),
  /** a webhook POST's whole time: connect, send, answer */
  webhookTimeoutMs: Type.Integer({ minimum: 100, maximum: 30_000 }),
  /** the SMTP server for e-mail notifications, `smtp://user:pass@host:port` or `smtps://…`; absent: no e-mail */
  smtpUrl: Type.Optional(Type.String({ minLength: 1 })),
  smtpFrom: Type.String({ minLength: 3 }),
  logLevel: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});
export type Config = Static<typeof Schema>;

/** A comma-separated list. */
const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** env var -> config key, and how to read it */
const env: Array<[string, keyof Config, (v: string) => unknown]> = [
  ['PEERLINK_DATABASE', 'database', String],
  ['PEERLINK_HOST', 'host', String],
  ['PEERLINK_PORT', 'port', Number],
  ['PEERLINK_OPERATOR_TOKEN', 'operatorToken', String],
  ['PEERLINK_METRICS_TOKEN', 'metricsToken', String],
  ['PEERLINK_ALLOWED_PLANS', 'allowedPlans', list],
  ['PEERLINK_RESERVED_RANGES', 'reservedRanges', list],
  ['PEERLINK_ALLOWED_CUSTOMER_RANGES', 'allowedCustomerRanges', list],
  ['PEERLINK_MIN_CUSTOMER_PREFIX', 'minCustomerPrefix', Number],
  ['PEERLINK_PEERING_QUOTA', 'peeringQuota', Number],
  ['PEERLINK_SEARCH_WINDOW_MINUTES', 'searchWindowMinutes', Number],
  ['PEERLINK_APPROVAL_WINDOW_MINUTES', 'approvalWindowMinutes', Number],
  ['PEERLINK_SWEEP_INTERVAL_MS', 'sweepIntervalMs', Number],
  ['PEERLINK_TICK_MS', 'tickMs', Number],
  ['PEERLINK_LEASE_MS', 'leaseMs', Number],
  ['PEERLINK_DB_POOL_SIZE', 'poolSize', Number],
  ['PEERLINK_REQUEST_TIMEOUT_MS', 'requestTimeoutMs', Number],
  ['PEERLINK_HEADERS_TIMEOUT_MS', 'headersTimeoutMs', Number],
  ['PEERLINK_RATE_LIMIT_PER_KEY', 'rateLimitPerKey', Number],
  ['PEERLINK_RATE_LIMIT_PER_ORG', 'rateLimitPerOrg', Number],
  ['PEERLINK_RATE_LIMIT_ANONYMOUS', 'rateLimitAnonymous', Number],
  ['PEERLINK_CLOUD_BUDGET_PER_ORG', 'cloudBudgetPerOrg', Number],
  ['PEERLINK_AUTH_FAILURES_PER_MINUTE', 'authFailuresPerMinute', Number],
  ['PEERLINK_RESYNC_COOLDOWN_SECONDS', 'resyncCooldownSeconds', Number],
  ['PEERLINK_AUDIT_RETENTION_DAYS', 'auditRetentionDays', Number],
  ['PEERLINK_EVENT_RETENTION_DAYS', 'eventRetentionDays', Number],
  ['PEERLINK_PACE_CLOUD_CALLS', 'paceCloudCalls', (v) => !['0', 'false', 'off', 'no'].includes(v.toLowerCase())],
  ['PEERLINK_THROTTLE_ALARM_COUNT', 'throttleAlarmCount', Number],
  ['PEERLINK_SECRET_KEYS', 'secretKeys', String],
  ['PEERLINK_SECRET_KEY_FILE', 'secretKeyFile', String],
  [
    'PEERLINK_WEBHOOK_ALLOW_PRIVATE_TARGETS',
    'webhookAllowPrivateTargets',
    (v) => ['1', 'true', 'on', 'yes'].includes(v),
  ],
  ['PEERLINK_WEBHOOK_RETRY_MINUTES', 'webhookRetryMinutes', Number],
  ['PEERLINK_WEBHOOK_TIMEOUT_MS', 'webhookTimeoutMs', Number],
  ['PEERLINK_SMTP_URL', 'smtpUrl', String],
  ['PEERLINK_SMTP_FROM', 'smtpFrom', String],
  ['PEERLINK_LOG_LEVEL', 'logLevel', String],
];

export const defaults: Config = {
  database: 'data/peerlink.db',
  host: '127.0.0.1',
  port: 8080,
  allowedPlans: [...defaultRulesConfig.allowedPlans],
  reservedRanges: [...defaultRulesConfig.reservedRanges],
  allowedCustomerRanges: [...defaultRulesConfig.cidrPolicy.allowedRanges],
  minCustomerPrefix: defaultRulesConfig.cidrPolicy.minPrefix,
  peeringQuota: defaultRulesConfig.peeringQuota,
  searchWindowMinutes: defaultRulesConfig.searchWindowMs / 60_000,
  approvalWindowMinutes: defaultRulesConfig.approvalWindowMs / 60_000,
  sweepIntervalMs: 30_000,
  tickMs: 1_000,
  leaseMs: 30_000,
  poolSize: 10,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  rateLimitPerKey: 600,
  rateLimitPerOrg: 1_200,
  rateLimitAnonymous: 120,
  cloudBudgetPerOrg: 60,
  authFailuresPerMinute: 20,
  resyncCooldownSeconds: 10,
  auditRetentionDays: 365,
  eventRetentionDays: 30,
  paceCloudCalls: true,
  throttleAlarmCount: 20,
  webhookAllowPrivateTargets: false,
  webhookRetryMinutes: 24 * 60,
  webhookTimeoutMs: 5_000,
  smtpFrom: 'Peerlink <peerlink@localhost>',
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
  try {
    parseCidrPolicy({ allowedRanges: config.allowedCustomerRanges, minPrefix: config.minCustomerPrefix });
  } catch (err) {
    throw new ConfigError(`configuration PEERLINK_ALLOWED_CUSTOMER_RANGES: ${(err as Error).message}`);
  }
  return config;
}

export function rulesOf(c: Config): RulesConfig {
  return {
    allowedPlans: c.allowedPlans,
    reservedRanges: c.reservedRanges,
    cidrPolicy: { allowedRanges: c.allowedCustomerRanges, minPrefix: c.minCustomerPrefix },
    peeringQuota: c.peeringQuota,
    searchWindowMs: c.searchWindowMinutes * 60_000,
    approvalWindowMs: c.approvalWindowMinutes * 60_000,
  };
}

/**
 * The keys platform secrets are encrypted with: given (PEERLINK_SECRET_KEYS or PEERLINK_SECRET_KEY_FILE), or — for an
 * embedded database only — a key file beside it, created on first start. PostgreSQL mode must be given keys: every
 * instance needs the same ones.
 */
export function secretsOf(c: Config): SecretBox {
  try {
    if (c.secretKeys) return SecretBox.parse(c.secretKeys);
    if (c.secretKeyFile) return SecretBox.fromFile(c.secretKeyFile, false);
    const beside = defaultKeyFile(c.database);
    if (beside) return SecretBox.fromFile(beside, true);
  } catch (err) {
    throw new ConfigError(`configuration PEERLINK_SECRET_KEYS: ${err instanceof Error ? err.message : String(err)}`);
  }
  throw new ConfigError(
    'configuration PEERLINK_SECRET_KEYS: PostgreSQL mode needs the secret keys every instance shares ' +
      '(PEERLINK_SECRET_KEYS or PEERLINK_SECRET_KEY_FILE; docs/SECURITY.md)',
  );
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  bindResourceAddress,
  checkCustomerCidr,
  checkCustomerCidrs,
  checkIdShape,
  checkPlan,
  checkProviderIdFree,
  checkCustomerVpcFree,
  checkQuota,
  checkRegion,
  defaultRulesConfig,
  isRefusal,
  parseCidrPolicy,
  parseReservedRanges,
} from '../../src/core/rules.js';
import { errorCodes, httpStatusOf, messageOf } from '../../src/core/errors.js';

const ctx = {
  deploymentCidr: '10.11.0.0/16',
  reservedRanges: defaultRulesConfig.reservedRanges,
  policy: defaultRulesConfig.cidrPolicy,
  siblings: [{ id: 'pr_a', name: 'pcx-aaaa1111', cidrs: ['172.16.0.0/16'] }],
};

test('plan gating: only configured plans may peer', () => {
  assert.equal(checkPlan('dedicated-professional', defaultRulesConfig), null);
  for (const plan of ['trial', 'serverless', 'dedicated-standard']) {
    assert.equal(checkPlan(plan, defaultRulesConfig)?.code, 'PLAN_NOT_ELIGIBLE');
  }
});

test('same region only', () => {
  assert.equal(checkRegion('us-east-1', 'us-east-1'), null);
  assert.deepEqual(checkRegion('us-east-1', 'eu-west-1'), {
    code: 'REGION_MISMATCH',
    params: { deploymentRegion: 'us-east-1', customerRegion: 'eu-west-1' },
  });
});

test('customer CIDR rules name the range and the conflicting peering', () => {
  assert.equal(checkCustomerCidr('192.168.0.0/16', ctx), null);
  assert.equal(checkCustomerCidr('nope', ctx)?.code, 'CIDR_INVALID');
  assert.deepEqual(checkCustomerCidr('192.168.1.7/24', ctx), {
    code: 'CIDR_NOT_NETWORK',
    params: { cidr: '192.168.1.7/24', suggestion: '192.168.1.0/24' },
  });
  assert.deepEqual(checkCustomerCidr('10.20.0.0/16', ctx), {
    code: 'CIDR_RESERVED',
    params: { cidr: '10.20.0.0/16', range: '10.10.0.0/24–10.64.255.0/24' },
  });
  assert.equal(checkCustomerCidr('100.64.0.0/10', ctx)?.params.range, '100.0.0.0/8');
  assert.equal(checkCustomerCidr('101.1.0.0/16', ctx)?.params.range, '101.0.0.0/8');
  // a CIDR that contains the reserved block also collides with it
  assert.equal(checkCustomerCidr('10.0.0.0/8', ctx)?.code, 'CIDR_RESERVED');
  const noReserved = { ...ctx, reservedRanges: [] };
  assert.deepEqual(checkCustomerCidr('10.11.128.0/17', noReserved), {
    code: 'CIDR_OVERLAPS_DEPLOYMENT',
    params: { cidr: '10.11.128.0/17', deploymentCidr: '10.11.0.0/16' },
  });
  assert.deepEqual(checkCustomerCidr('172.16.5.0/24', ctx), {
    code: 'CIDR_OVERLAPS_PEERING',
    params: { cidr: '172.16.5.0/24', otherCidr: '172.16.0.0/16', peeringId: 'pr_a', peering: 'pcx-aaaa1111' },
  });
  assert.equal(checkCustomerCidrs(['192.168.0.0/24', '192.168.0.128/25'], ctx)?.code, 'CIDR_OVERLAPS_PEERING');
  assert.equal(checkCustomerCidrs([], ctx)?.code, 'VALIDATION_FAILED');
});

test('the CIDR policy: private space only, never special-purpose ranges, no block over the minimum prefix', () => {
  // the trust issue's F3: a correction to 128.0.0.0/1 or 0.0.0.0/5 was accepted and routed
  for (const [cidr, code] of [
    ['128.0.0.0/1', 'CIDR_SPECIAL_PURPOSE'],
    ['0.0.0.0/5', 'CIDR_SPECIAL_PURPOSE'],
    ['8.0.0.0/7', 'CIDR_NOT_ALLOWED'],
    ['127.0.0.0/8', 'CIDR_SPECIAL_PURPOSE'],
    ['169.254.0.0/16', 'CIDR_SPECIAL_PURPOSE'],
    ['224.0.0.0/4', 'CIDR_SPECIAL_PURPOSE'],
    ['203.0.113.0/24', 'CIDR_SPECIAL_PURPOSE'],
    ['8.8.8.0/24', 'CIDR_NOT_ALLOWED'],
    ['172.15.0.0/16', 'CIDR_NOT_ALLOWED'],
    ['172.0.0.0/11', 'CIDR_NOT_ALLOWED'],
  ] as const)
    assert.equal(checkCustomerCidr(cidr, ctx)?.code, code, cidr);
  for (const cidr of ['192.168.0.0/16', '172.20.0.0/16', '100.64.0.0/16', '198.18.0.0/15', '10.70.0.0/16'])
    assert.equal(checkCustomerCidr(cidr, { ...ctx, reservedRanges: [] }), null, cidr);
  const strict = { ...ctx, policy: { allowedRanges: ['10.0.0.0/8', '192.168.0.0/16'], minPrefix: 16 } };
  assert.deepEqual(checkCustomerCidr('192.168.0.0/15', strict)?.code, 'CIDR_NOT_ALLOWED');
  assert.deepEqual(checkCustomerCidr('10.128.0.0/12', strict), {
    code: 'CIDR_TOO_LARGE',
    params: { cidr: '10.128.0.0/12', minPrefix: 16 },
  });
  assert.equal(checkCustomerCidr('10.128.0.0/16', strict), null);
  // a configured policy may not open special-purpose space
  assert.throws(() => parseCidrPolicy({ allowedRanges: ['0.0.0.0/0'], minPrefix: 8 }), /touches 0\.0\.0\.0\/8/);
  assert.throws(() => parseCidrPolicy({ allowedRanges: ['10.0.0.0/8'], minPrefix: 40 }), /between 1 and 32/);
  assert.equal(parseCidrPolicy(defaultRulesConfig.cidrPolicy).length, 5);
});

test('property: a CIDR passes only in allowed space, clear of reserved ranges, the deployment and siblings', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  fc.assert(
    fc.property(octet, octet, fc.integer({ min: 8, max: 28 }), (a, b, prefix) => {
      const mask = (0xffffffff << (32 - prefix)) >>> 0;
      const n = (((a << 24) | (b << 16)) & mask) >>> 0;
      const c = `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${prefix}`;
      const r = checkCustomerCidr(c, ctx);
      const start = n;
      const end = n + 2 ** (32 - prefix) - 1;
      const hits = (lo: number, hi: number) => start <= hi && lo <= end;
      const ip = (s: string) => s.split('.').reduce((x, o) => x * 256 + Number(o), 0);
      const within = (lo: string, bits: number) => start >= ip(lo) && end <= ip(lo) + 2 ** (32 - bits) - 1;
      const special = [
        ['0.0.0.0', 8],
        ['127.0.0.0', 8],
        ['169.254.0.0', 16],
        ['192.0.0.0', 24],
        ['192.0.2.0', 24],
        ['198.51.100.0', 24],
        ['203.0.113.0', 24],
        ['224.0.0.0', 4],
        ['240.0.0.0', 4],
      ].some(([lo, bits]) => hits(ip(String(lo)), ip(String(lo)) + 2 ** (32 - Number(bits)) - 1));
      const allowed = [
        ['10.0.0.0', 8],
        ['172.16.0.0', 12],
        ['192.168.0.0', 16],
        ['100.64.0.0', 10],
        ['198.18.0.0', 15],
      ].some(([lo, bits]) => within(String(lo), Number(bits)));
      const reserved = hits(ip('10.10.0.0'), ip('10.64.255.255')) || hits(ip('100.0.0.0'), ip('101.255.255.255'));
      const deployment = hits(ip('10.11.0.0'), ip('10.11.255.255'));
      const sibling = hits(ip('172.16.0.0'), ip('172.16.255.255'));
      const passes = !special && allowed && !reserved && !deployment && !sibling;
      assert.equal(r === null, passes, `${c} -> ${JSON.stringify(r)}`);
      if (special) assert.equal(r?.code, 'CIDR_SPECIAL_PURPOSE', c);
      else if (reserved) assert.equal(r?.code, 'CIDR_RESERVED', c);
    }),
  );
});

test('id shapes, duplicates and quota', () => {
  const shape = {
    pattern: /^pcx-([0-9a-f]{8}|[0-9a-f]{17})$/,
    expected: 'pcx- + 8 or 17 hex digits',
    expectedZh: 'pcx- 加 8 或 17 位十六进制数字',
  };
  const field = { key: 'providerPeeringId', en: 'peering ID', zh: '对等连接 ID' };
  assert.equal(checkIdShape(field, 'pcx-0123abcd', shape), null);
  const r = checkIdShape(field, 'pcx-XYZ', shape);
  assert.equal(r?.code, 'ID_MALFORMED');
  assert.equal(r?.params.fieldKey, 'providerPeeringId');
  assert.equal(
    messageOf('ID_MALFORMED', r.params, 'zh-CN'),
    '对等连接 ID「pcx-XYZ」格式不正确：X Y Z 不是十六进制字符（0–9、a–f）；应为pcx- 加 8 或 17 位十六进制数字。',
  );
  assert.equal(checkCustomerVpcFree('vpc-a', [{ id: 'pr_2', customerVpcId: 'vpc-b' }]), null);
  const other = [{ id: 'pr_3', customerVpcId: 'default', customerAccountId: 'project-a' }];
  assert.equal(checkCustomerVpcFree('default', other, 'project-b'), null, 'same name, another account');
  assert.equal(checkCustomerVpcFree('default', other, 'project-a')?.code, 'CUSTOMER_VPC_ALREADY_PEERED');
  assert.equal(checkCustomerVpcFree('', [{ id: 'pr_2', customerVpcId: '' }]), null);
  assert.deepEqual(checkCustomerVpcFree('vpc-a', [{ id: 'pr_2', customerVpcId: 'vpc-a' }]), {
    code: 'CUSTOMER_VPC_ALREADY_PEERED',
    params: { customerVpcId: 'vpc-a', peeringId: 'pr_2' },
  });
  assert.equal(checkProviderIdFree('pcx-1', undefined), null);
  assert.deepEqual(checkProviderIdFree('pcx-1', { id: 'pr_1' }), {
    code: 'PROVIDER_ID_TAKEN',
    params: { providerId: 'pcx-1', peeringId: 'pr_1' },
  });
  assert.equal(checkQuota('d1', 9, defaultRulesConfig), null);
  assert.equal(checkQuota('d1', 10, defaultRulesConfig)?.code, 'PEERING_QUOTA_EXCEEDED');
});

test('resources bind to the most specific running peering that contains them', () => {
  const running = [
    { id: 'wide', cidrs: ['172.16.0.0/12'] },
    { id: 'narrow', cidrs: ['172.16.1.0/24'] },
  ];
  assert.deepEqual(bindResourceAddress('d1', '172.16.1.9:5432', running), {
    peeringId: 'narrow',
    address: '172.16.1.9:5432',
  });
  assert.deepEqual(bindResourceAddress('d1', '172.20.0.1', running), { peeringId: 'wide', address: '172.20.0.1' });
  assert.equal(
    (bindResourceAddress('d1', '192.168.0.1', running) as { code: string }).code,
    'RESOURCE_OUTSIDE_PEERING',
  );
  for (const bad of ['db.example.com:5432', '172.16.1.9:0', '172.16.1.9:70000', '']) {
    const r = bindResourceAddress('d1', bad, running);
    assert.ok(isRefusal(r) && r.code === 'RESOURCE_ADDRESS_INVALID', bad);
  }
});

test('reserved ranges from configuration are validated', () => {
  assert.equal(parseReservedRanges(defaultRulesConfig.reservedRanges).length, 3);
  assert.throws(() => parseReservedRanges(['10.0.0.0/40']), /10\.0\.0\.0\/40/);
});

const notErrors = new Set([
  'PEERING_SEARCHING',
  'PEERING_AWAITING_CUSTOMER',
  'CUSTOMER_ROUTE_NEEDED',
  'CUSTOMER_RULE_NEEDED',
  'DEADLINE_APPROACHING',
  'WEBHOOK_DISABLED',
  'PLATFORM_CREDENTIALS_REFUSED',
  'PLATFORM_THROTTLED',
]);

test('every catalogued code has a status and a filled message in both languages', () => {
  for (const code of errorCodes) {
    // hints kept on a waiting peering and what notifications ask of the customer are never error responses
    assert.ok(httpStatusOf(code) >= 400 || notErrors.has(code), code);
    for (const locale of ['en', 'zh-CN'] as const)
      assert.ok(messageOf(code, {}, locale).length > 0, `${code} ${locale}`);
  }
  assert.equal(
    messageOf('CIDR_RESERVED', { cidr: '10.20.0.0/16', range: 'R' }, 'zh-CN'),
    '网段 10.20.0.0/16 与平台保留网段 R 重叠，请使用该范围之外的 VPC 网段。',
  );
});

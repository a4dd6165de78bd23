/** Huawei Cloud id shapes: peerings and VPCs are UUIDs, projects 32 hex digits. */
import type { IdShape } from '../../core/rules.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const huaweiShapes = {
  peeringId: {
    pattern: uuid,
    expected: 'a UUID such as 22b76469-08e3-4937-8c1d-7aad34892be1',
    expectedZh: 'UUID，例如 22b76469-08e3-4937-8c1d-7aad34892be1',
  },
  projectId: {
    pattern: /^[0-9a-f]{32}$/,
    expected: '32 hexadecimal digits (My Credentials → Projects)',
    expectedZh: '32 位十六进制数字（我的凭证 → 项目列表）',
  },
  vpcId: {
    pattern: uuid,
    expected: 'a UUID such as 9daeac7c-a98f-430f-8e38-67f9c044e299',
    expectedZh: 'UUID，例如 9daeac7c-a98f-430f-8e38-67f9c044e299',
  },
  cidr: {
    pattern: /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/,
    expected: 'an IPv4 CIDR such as 192.168.0.0/16',
    expectedZh: 'IPv4 网段，例如 192.168.0.0/16',
  },
} satisfies Record<string, IdShape>;

/** Request and response schemas (TypeBox): validation at the edge and the OpenAPI document from one source. */
import { Type, type TSchema } from '@sinclair/typebox';

/** A string enum that keeps its literal type (Type.Union over a mapped array would lose it). */
const StringEnum = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
import { peeringStatuses } from '../core/lifecycle.js';
import { providers } from '../clouds/provider.js';

const Str = (o: { minLength?: number; maxLength?: number; pattern?: string; description?: string } = {}) =>
  Type.String({ minLength: 1, maxLength: 200, ...o });

export const ErrorBody = Type.Object(
  { code: Type.String(), message: Type.String(), details: Type.Record(Type.String(), Type.Unknown()) },
  { $id: 'Error' },
);
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
  502: ErrorBody,
};

export const Localized = Type.Object({ en: Type.String(), 'zh-CN': Type.String() });
export const IdParams = Type.Object({ id: Str() });
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
};
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const Reason = Type.Union([
  Type.Null(),
  Type.Object({ code: Type.String(), message: Type.String(), details: Type.Record(Type.String(), Type.Unknown()) }),
]);

export const Peering = Type.Object(
  {
    id: Type.String(),
    deploymentId: Type.String(),
    provider: Type.String(),
    providerPeeringId: Type.Union([Type.String(), Type.Null()], {
      description: 'the cloud’s own id (pcx-…, pcc-…); null while Peerlink is still looking for it (Alibaba)',
    }),
    customerAccountId: Type.String(),
    customerVpcId: Type.String(),
    customerCidrs: Type.Array(Type.String()),
    region: Type.String(),
    status: StringEnum(peeringStatuses),
    reason: Reason,
    providerStatus: Type.Union([Type.String(), Type.Null()]),
    deadlineAt: Type.Union([Type.String(), Type.Null()], {
      description:
        'by when the customer’s part must be done (Alibaba: the connection created; Tencent: the attach approved)',
    }),
    retry: Type.Union([
      Type.Null(),
      Type.Object({
        attempts: Type.Integer(),
        lastError: Type.String(),
        nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
      }),
    ]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Peering' },
);

export const Guidance = Type.Object({
  steps: Type.Array(Localized),
  commands: Type.String(),
  terraform: Type.String(),
});

export const PeeringDetail = Type.Composite([
  Peering,
  Type.Object({
    customerSide: Type.Object({
      routeDestination: Type.String({ description: 'the deployment CIDR the customer routes through the peering' }),
      securityGroupSource: Type.String(),
      guidance: Guidance,
    }),
  }),
]);

export const CreatePeering = Type.Object(
  {
    deploymentId: Str(),
    providerPeeringId: Type.Optional(
      Str({
        description:
          'AWS: the pcx-… id of the request the customer created. Not for Alibaba (Peerlink finds the connection from customerVpcId). Which fields a cloud needs: GET /v1/deployments/{id}/peering-facts → form',
      }),
    ),
    customerAccountId: Type.Optional(Str({ description: 'AWS: the requester VPC owner (12 digits)' })),
    customerVpcId: Type.Optional(Str({ description: 'AWS: the requester VPC id; Alibaba: the initiator VPC (vpc-…)' })),
    customerCidrs: Type.Optional(
      Type.Array(Str({ maxLength: 18 }), {
        minItems: 1,
        maxItems: 5,
        description: 'only where the cloud does not report them',
      }),
    ),
  },
  { additionalProperties: false },
);

export const UpdatePeering = Type.Object(
  {
    customerCidrs: Type.Array(Str({ maxLength: 18 }), {
      minItems: 1,
      maxItems: 5,
      description: 'the customer VPC CIDRs, replacing the ones typed before',
    }),
  },
  { additionalProperties: false },
);

export const Event = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actor: Type.String(),
  kind: Type.String(),
  fromStatus: Type.Union([Type.String(), Type.Null()]),
  toStatus: Type.Union([Type.String(), Type.Null()]),
  reason: Reason,
  note: Type.String(),
});

export const Resource = Type.Object(
  {
    id: Type.String(),
    deploymentId: Type.String(),
    peeringId: Type.String(),
    name: Type.String(),
    address: Type.String(),
    createdAt: Type.String(),
  },
  { $id: 'Resource' },
);
export const CreateResource = Type.Object(
  {
    deploymentId: Str(),
    name: Str({ maxLength: 100 }),
    address: Str({ maxLength: 60, description: 'IPv4 address, optionally :port' }),
  },
  { additionalProperties: false },
);

export const Deployment = Type.Object({
  id: Type.String(),
  name: Type.String(),
  plan: Type.String(),
  provider: Type.String(),
  region: Type.String(),
  vpcId: Type.String(),
  vpcCidr: Type.String(),
  routeTableIds: Type.Array(Type.String()),
  createdAt: Type.String(),
});

export const Fact = Type.Object({ key: Type.String(), label: Type.String(), value: Type.String() });
export const FormField = Type.Object({
  key: Type.String(),
  label: Type.String(),
  expected: Type.String(),
  pattern: Type.String(),
});
export const PeeringFacts = Type.Object({
  deploymentId: Type.String(),
  provider: Type.String(),
  eligible: Type.Boolean(),
  refusal: Reason,
  facts: Type.Array(Fact),
  form: Type.Array(FormField),
  guidance: Guidance,
});

export const CreateOrg = Type.Object({ name: Str({ maxLength: 100 }) }, { additionalProperties: false });
export const CreateKey = Type.Object(
  { name: Str({ maxLength: 100 }), role: Type.Union([Type.Literal('admin'), Type.Literal('viewer')]) },
  { additionalProperties: false },
);
export const IssuedKey = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  name: Type.String(),
  role: Type.String(),
  key: Type.String({ description: 'shown once; only its hash is stored' }),
});
export const Org = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String() });
export const CreatePlatformAccount = Type.Object(
  {
    provider: StringEnum(providers),
    region: Str({ maxLength: 64, pattern: '^[a-z0-9-]+$' }),
    accountId: Str({ maxLength: 64 }),
    endpoint: Type.Optional(Type.String({ format: 'uri', maxLength: 300 })),
    accessKeyId: Str(),
    secretAccessKey: Str({ maxLength: 400 }),
  },
  { additionalProperties: false },
);
export const PlatformAccount = Type.Object({
  id: Type.String(),
  provider: Type.String(),
  region: Type.String(),
  accountId: Type.String(),
  endpoint: Type.Union([Type.String(), Type.Null()]),
  accessKeyId: Type.String(),
  createdAt: Type.String(),
});
export const CreateDeployment = Type.Object(
  {
    id: Type.Optional(Str({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
    orgId: Str(),
    name: Str({ maxLength: 100 }),
    plan: Str({ maxLength: 64 }),
    region: Str({ maxLength: 64 }),
    vpcId: Str({ maxLength: 100 }),
    vpcCidr: Str({ maxLength: 18 }),
    platformAccountId: Str(),
    routeTableIds: Type.Array(Str({ maxLength: 100 }), { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);

/**
 * Request and response schemas (TypeBox): validation at the edge, the OpenAPI document, and the console's types
 * (`src/console/api.ts` derives its wire types from these) from one source. Pure: it imports nothing but TypeBox and
 * the core, so the console can import its types without the server's code. Over 300 lines on purpose: every wire
 * shape in one file, so the API is reviewed as one.
 */
import { Type, type TSchema } from 'typebox';
import { peeringStatuses } from '../core/status.js';

/** A string enum that keeps its literal type (the route handlers' types see the values). */
export const StringEnum = <T extends string>(values: readonly T[]) => Type.Enum<T[]>([...values]);

/** A cloud's name, as `GET /v1/clouds` lists them. */
const Provider = Type.String({ description: 'the cloud (one of GET /v1/clouds)' });

const Str = (o: { minLength?: number; maxLength?: number; pattern?: string; description?: string } = {}) =>
  Type.String({ minLength: 1, maxLength: 200, ...o });

const BothLanguages = Type.Object(
  { en: Type.String(), 'zh-CN': Type.String() },
  { description: 'the message in each language, so a refusal on screen can follow a language switch' },
);
export const ErrorBody = Type.Object(
  {
    code: Type.String(),
    message: Type.String({ description: 'in the language asked for (Accept-Language)' }),
    details: Type.Record(Type.String(), Type.Unknown()),
    messages: Type.Optional(BothLanguages),
  },
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

export const Status = StringEnum(peeringStatuses);

export const Reason = Type.Union([
  Type.Null(),
  Type.Object({ code: Type.String(), message: Type.String(), details: Type.Record(Type.String(), Type.Unknown()) }),
]);

export const Peering = Type.Object(
  {
    id: Type.String(),
    deploymentId: Type.String(),
    provider: Provider,
    providerPeeringId: Type.Union([Type.String(), Type.Null()], {
      description:
        'the cloud’s own id of the connection; null while Peerlink is still looking for it (clouds that find it ' +
        'from the customer’s network)',
    }),
    customerAccountId: Type.String(),
    customerVpcId: Type.String(),
    customerCidrs: Type.Array(Type.String()),
    region: Type.String(),
    status: Status,
    reason: Reason,
    providerStatus: Type.Union([Type.String(), Type.Null()]),
    deadlineAt: Type.Union([Type.String(), Type.Null()], {
      description:
        'by when the customer’s part must be done (the connection created, where Peerlink looks for it; the ' +
        'request approved, where the cloud has an approval window)',
    }),
    retry: Type.Union([
      Type.Null(),
      Type.Object({
        attempts: Type.Integer(),
        lastError: Type.String(),
        nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
      }),
    ]),
    actions: Type.Object(
      {
        delete: Type.Boolean({ description: 'delete, or cancel while in flight (DELETE /v1/peerings/{id})' }),
        retry: Type.Boolean({ description: 'POST /v1/peerings/{id}/retry' }),
        correctCidrs: Type.Boolean({ description: 'PATCH /v1/peerings/{id} with customerCidrs' }),
        resync: Type.Boolean({ description: 'POST /v1/peerings/{id}/resync' }),
      },
      { description: 'what the caller may do with the peering now' },
    ),
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

export const PeeringDetail = Type.Evaluate(
  Type.Intersect([
    Peering,
    Type.Object({
      customerSide: Type.Object({
        routeNeeded: Type.Boolean({
          description: 'whether the customer adds a route itself (false where the connection carries the routes)',
        }),
        routeDestination: Type.String({ description: 'the deployment CIDR the customer routes through the peering' }),
        securityGroupSource: Type.String(),
        connectTo: Type.Union([Type.String(), Type.Null()], {
          description: 'where clients connect once the peering runs (the deployment’s private endpoint), if registered',
        }),
        guidance: Guidance,
      }),
    }),
  ]),
);

export const CreatePeering = Type.Object(
  {
    deploymentId: Str(),
    providerPeeringId: Type.Optional(
      Str({
        description:
          'the cloud’s id of the connection the customer created, where its form asks for it. Which fields a ' +
          'cloud needs: GET /v1/deployments/{id}/peering-facts → form',
      }),
    ),
    customerAccountId: Type.Optional(Str({ description: 'the customer’s account, where the form asks for it' })),
    customerVpcId: Type.Optional(
      Str({ maxLength: 400, description: 'the customer’s network, where the form asks for it' }),
    ),
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
  provider: Provider,
  region: Type.String(),
  vpcId: Type.String(),
  vpcCidr: Type.String(),
  routeTableIds: Type.Array(Type.String()),
  privateEndpoint: Type.Union([Type.String(), Type.Null()], {
    description: 'where clients connect over a running peering (host:port); null when not registered',
  }),
  createdAt: Type.String(),
});

export const Fact = Type.Object({ key: Type.String(), label: Type.String(), value: Type.String() });
export const FormField = Type.Object({
  key: Type.String(),
  label: Type.String(),
  expected: Type.String(),
  pattern: Type.String(),
  hint: Type.Union([Type.String(), Type.Null()]),
  list: Type.Boolean({ description: 'a list of values (CIDRs), separated by commas or new lines' }),
  forgives: Type.Object(
    {
      case: Type.Boolean({ description: 'upper-case letters are read as lower-case' }),
      separators: Type.Boolean({ description: 'dashes and spaces inside the value are dropped (1234-5678-9012)' }),
    },
    { description: 'what the server forgives besides full-width characters and surrounding blanks' },
  ),
});
export const Capabilities = Type.Object({
  opens: StringEnum(['customer', 'platform'] as const),
  finds: StringEnum(['id', 'customer-network'] as const),
  routes: StringEnum(['platform', 'propagated'] as const),
  customerCidrs: StringEnum(['reported', 'typed'] as const),
  approvalWindow: Type.Boolean(),
  oneCustomerNetwork: Type.Boolean(),
});
export const Cloud = Type.Object({
  name: Type.String(),
  label: Type.String({ description: 'as customers know it, in the caller’s language' }),
  capabilities: Capabilities,
});

export const LivePeeringSummary = Type.Object({
  id: Type.String(),
  connectionId: Type.Union([Type.String(), Type.Null()], { description: 'the cloud connection id, once known' }),
  customerVpcId: Type.String(),
  cidrs: Type.Array(Type.String()),
  status: Type.String(),
});
export const PeeringRules = Type.Object(
  {
    region: Type.String({ description: 'peering is same-region only' }),
    deploymentCidr: Type.String({ description: 'the customer CIDRs may not overlap it' }),
    reservedRanges: Type.Array(Type.String(), { description: 'CIDRs or CIDR-CIDR ranges no customer CIDR may touch' }),
    livePeerings: Type.Array(LivePeeringSummary, { description: 'their CIDRs are taken on this deployment' }),
  },
  { description: 'the rules a new peering must meet, to show before the customer acts in its cloud' },
);
export const PeeringFacts = Type.Object({
  deploymentId: Type.String(),
  provider: Provider,
  cloud: Type.Object({ label: Type.String(), capabilities: Capabilities }),
  eligible: Type.Boolean({
    description:
      'false when a new peering cannot succeed now (the plan, the quota, a deployment that can join only one ' +
      'customer network)',
  }),
  refusal: Reason,
  facts: Type.Array(Fact),
  form: Type.Array(FormField),
  guidance: Guidance,
  rules: PeeringRules,
  consoleUrl: Type.Union([Type.String(), Type.Null()], {
    description: 'the page of the cloud’s own console where the customer creates or approves the peering',
  }),
});
export const CidrCheck = Type.Object(
  {
    cidrs: Type.Union([
      Type.String({ maxLength: 2000 }),
      Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }),
    ]),
  },
  { additionalProperties: false },
);
export const CidrCheckResult = Type.Object({
  ok: Type.Boolean(),
  cidrs: Type.Array(Type.String(), { description: 'as read: split on commas, spaces, ；，、 and new lines' }),
  problem: Type.Union([
    Type.Null(),
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
      messages: BothLanguages,
    }),
  ]),
});

export const CreateOrg = Type.Object({ name: Str({ maxLength: 100 }) }, { additionalProperties: false });
export const CreateKey = Type.Object(
  {
    name: Str({ maxLength: 100 }),
    role: Type.Union([Type.Literal('admin'), Type.Literal('viewer')]),
    expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'absent: the key does not expire' })),
  },
  { additionalProperties: false },
);
export const ApiKey = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  name: Type.String(),
  role: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()], { description: 'to the minute' }),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
export const IssuedKey = Type.Evaluate(
  Type.Intersect([ApiKey, Type.Object({ key: Type.String({ description: 'shown once; only its hash is stored' }) })]),
);
export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.String(),
  orgId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String({ description: 'key:<id>, operator, or anonymous' }),
  role: Type.Union([Type.String(), Type.Null()]),
  action: Type.String({ description: 'the method and the route, e.g. DELETE /v1/peerings/:id' }),
  target: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Integer({ description: 'the HTTP status answered' }),
  code: Type.Union([Type.String(), Type.Null()], { description: 'the refusal’s code' }),
  ip: Type.String(),
  requestId: Type.String(),
});
export const Org = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String() });
export const PlatformAccount = Type.Object({
  id: Type.String(),
  provider: Provider,
  region: Type.String(),
  accountId: Type.String(),
  endpoint: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export const CreateDeployment = Type.Object(
  {
    id: Type.Optional(Str({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
    orgId: Str(),
    name: Str({ maxLength: 100 }),
    plan: Str({ maxLength: 64 }),
    region: Str({ maxLength: 64 }),
    // a network id may be a full resource path (an ARM resource ID runs to ~300 characters)
    vpcId: Str({ maxLength: 400 }),
    vpcCidr: Str({ maxLength: 18 }),
    platformAccountId: Str(),
    routeTableIds: Type.Array(Str({ maxLength: 100 }), {
      maxItems: 20,
      description: 'the route tables the platform programs (at least one where the cloud’s routes are the platform’s)',
    }),
    privateEndpoint: Type.Optional(
      Str({
        maxLength: 260,
        pattern: '^[A-Za-z0-9.-]+:[0-9]{1,5}$',
        description:
          'where the customer’s clients connect over the peering: host:port — an IPv4 address inside vpcCidr, or a ' +
          'private DNS name (mqtt.internal.example:1883)',
      }),
    ),
  },
  { additionalProperties: false },
);

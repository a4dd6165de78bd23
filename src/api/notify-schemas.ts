/**
 * Request and response schemas of the notification routes (issue 16): events, webhooks, delivery log, contacts. Pure
 * TypeBox, like schemas.ts.
 */
import { Type } from 'typebox';
import { StringEnum } from './schemas.js';

const Str = (o: { minLength?: number; maxLength?: number; pattern?: string; description?: string } = {}) =>
  Type.String({ minLength: 1, maxLength: 200, ...o });

/** An event (issue 16): the body of `GET /v1/events`, the stream and every webhook. */
export const NotificationEvent = Type.Object(
  {
    id: Type.String({ description: 'also the `webhook-id` of its deliveries and the stream’s `id:`' }),
    type: Type.String(),
    timestamp: Type.String(),
    organizationId: Type.Union([Type.String(), Type.Null()]),
    deploymentId: Type.Union([Type.String(), Type.Null()]),
    peeringId: Type.Union([Type.String(), Type.Null()]),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'NotificationEvent' },
);

export const EventQuery = {
  deploymentId: Type.Optional(Str()),
  peeringId: Type.Optional(Str()),
  types: Type.Optional(Type.String({ maxLength: 400, description: 'comma-separated event types' })),
};

export const Webhook = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    description: Type.String(),
    eventTypes: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    disabledReason: Type.Union([Type.String(), Type.Null()]),
    failingSince: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Webhook' },
);

const WebhookFields = {
  url: Str({ maxLength: 2_000 }),
  description: Type.String({ maxLength: 200 }),
  eventTypes: Type.Array(Str({ maxLength: 60 }), {
    maxItems: 20,
    description: 'the event types to receive; empty or absent: all',
  }),
};

export const CreateWebhook = Type.Object(
  {
    url: WebhookFields.url,
    description: Type.Optional(WebhookFields.description),
    eventTypes: Type.Optional(WebhookFields.eventTypes),
  },
  { additionalProperties: false },
);

export const UpdateWebhook = Type.Object(
  {
    url: Type.Optional(WebhookFields.url),
    description: Type.Optional(WebhookFields.description),
    eventTypes: Type.Optional(WebhookFields.eventTypes),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const WebhookWithSecret = Type.Object({
  webhook: Webhook,
  secret: Type.String({ description: 'shown once: verify signatures with it (Standard Webhooks)' }),
});

export const DeliveryAttempt = Type.Object({
  id: Type.String(),
  deliveryId: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  at: Type.String(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  latencyMs: Type.Integer(),
  responseExcerpt: Type.String(),
  error: Type.Union([Type.String(), Type.Null()]),
  state: Type.String({ description: 'the delivery’s state now: pending, delivered or failed (given up)' }),
});

export const Contact = Type.Object({
  id: Type.String(),
  email: Type.String(),
  locale: Type.String(),
  createdAt: Type.String(),
});

export const CreateContact = Type.Object(
  {
    email: Str({ maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    locale: Type.Optional(StringEnum(['en', 'zh-CN'] as const)),
  },
  { additionalProperties: false },
);

/** One error model on the wire: `{code, message, details}`, the message in the caller's language. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { randomUUID } from 'node:crypto';
import { RefusalError, httpStatusOf, messageOf, refusal, type Locale, type Refusal } from '../core/errors.js';
import { cloudOf } from '../clouds/registry.js';

export function localeOf(req: FastifyRequest): Locale {
  const best = new Negotiator({
    headers: { 'accept-language': String(req.headers['accept-language'] ?? 'en') },
  }).language(['en', 'zh-CN', 'zh']);
  return best === 'zh-CN' || best === 'zh' ? 'zh-CN' : 'en';
}

/** The wire form of a refusal; `cloud`: the cloud it concerns, whose console's terms word the message. */
export function errorBody(r: Refusal, locale: Locale, cloud?: string) {
  const overrides = cloud ? cloudOf(cloud)?.messages : undefined;
  return { code: r.code, message: messageOf(r.code, r.params, locale, overrides), details: r.params };
}

/**
 * An answer's refusal: as `errorBody`, and in both languages (`messages`), so a refusal on screen follows the
 * viewer's language switch without asking again (the request that was refused may not be repeatable).
 */
export function refusalBody(r: Refusal, locale: Locale, cloud?: string) {
  const overrides = cloud ? cloudOf(cloud)?.messages : undefined;
  const messages = {
    en: messageOf(r.code, r.params, 'en', overrides),
    'zh-CN': messageOf(r.code, r.params, 'zh-CN', overrides),
  };
  return { code: r.code, message: messages[locale], details: r.params, messages };
}

function send(reply: FastifyReply, req: FastifyRequest, r: Refusal, cloud?: string): FastifyReply {
  req.refusalCode = r.code;
  return reply.status(httpStatusOf(r.code)).send(refusalBody(r, req.locale ?? 'en', cloud));
}

export function registerErrors(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof RefusalError) return send(reply, req, err.refusal, err.cloud);
    if (err.validation) {
      const first = err.validation[0];
      const where = `${err.validationContext ?? 'body'}${first?.instancePath ?? ''}`;
      return send(reply, req, refusal('VALIDATION_FAILED', { detail: `${where} ${first?.message ?? 'is invalid'}` }));
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      return reply
        .status(status)
        .send(refusalBody(refusal('VALIDATION_FAILED', { detail: err.message }), req.locale ?? 'en'));
    }
    const ref = randomUUID();
    req.log.error({ err, ref }, 'unhandled error');
    return send(reply, req, refusal('INTERNAL', { ref }));
  });
  app.setNotFoundHandler((req, reply) =>
    send(reply, req, refusal('ROUTE_NOT_FOUND', { method: req.method, url: req.url.split('?')[0] })),
  );
}

/**
 * E-mail for the events that ask the customer to act (issue 16): through the operator's SMTP server with nodemailer,
 * off when none is configured, written in the contact's language.
 */
import nodemailer from 'nodemailer';
import type { Locale } from '../core/errors.js';
import type { Contact } from '../store/webhooks.js';
import type { EventBody } from './render.js';

export interface Mailer {
  /** sends one event to one contact; resolves with the server's answer, rejects on refusal */
  send(contact: Contact, event: EventBody): Promise<string>;
  close(): void;
}

export interface SmtpConfig {
  /** `smtp://user:pass@host:port` or `smtps://…` */
  url: string;
  from: string;
}

const subjects: Record<string, Record<Locale, string>> = {
  'peering.action_required': { en: 'Action required on peering {id}', 'zh-CN': '对等连接 {id} 需要您操作' },
  'peering.deadline_approaching': {
    en: 'Deadline approaching for peering {id}',
    'zh-CN': '对等连接 {id} 即将到期',
  },
};

const labels: Record<Locale, { deadline: string; event: string }> = {
  en: { deadline: 'Deadline', event: 'Event' },
  'zh-CN': { deadline: '截止时间', event: '事件' },
};

interface RenderedReason {
  message: Record<Locale, string>;
}

function messageOf(v: unknown, locale: Locale): string | null {
  if (typeof v !== 'object' || v === null || !('message' in v)) return null;
  return (v as RenderedReason).message[locale];
}

/** The mail for an event, in one language. */
export function mailFor(event: EventBody, locale: Locale): { subject: string; text: string } {
  const subject = (subjects[event.type]?.[locale] ?? event.type).replace('{id}', event.peeringId ?? '');
  const lines = [messageOf(event.data.reason, locale), messageOf(event.data.action, locale)].filter(
    (l): l is string => !!l,
  );
  const deadline = event.data.deadlineAt;
  if (typeof deadline === 'string') lines.push(`${labels[locale].deadline}: ${deadline}`);
  lines.push('', `${labels[locale].event}: ${event.type} ${event.id}`);
  return { subject, text: lines.join('\n') };
}

export function smtpMailer(config: SmtpConfig): Mailer {
  const transport = nodemailer.createTransport(config.url);
  return {
    async send(contact, event) {
      const { subject, text } = mailFor(event, contact.locale);
      const info = await transport.sendMail({
        from: config.from,
        to: contact.email,
        subject,
        text,
        headers: { 'X-Peerlink-Event-Id': event.id },
      });
      return String(info.response);
    },
    close: () => transport.close(),
  };
}

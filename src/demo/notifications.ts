/**
 * The demo's notification side (issue 16): a webhook receiver on loopback that verifies each signature with the
 * Standard Webhooks reference code, and a mailbox that keeps what Peerlink mails (nodemailer's JSON transport, no
 * SMTP server needed). Both are logged and shown on one page, so walking a flow in the console shows the
 * action-required and deadline-approaching events arriving.
 */
import { createServer, type Server } from 'node:http';
import nodemailer from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import { mailFor, type Mailer } from '../notify/mail.js';
import type { EventBody } from '../notify/render.js';

interface Entry {
  at: string;
  kind: 'webhook' | 'mail';
  title: string;
  detail: string;
  ok: boolean;
}

export interface DemoNotifications {
  url: string;
  /** the receiver's URL to register as the organization's webhook */
  hookUrl: string;
  mailer: Mailer;
  /** the webhook's secret, once registered (signatures are verified with it) */
  setSecret(secret: string): void;
  close(): Promise<void>;
}

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

function reasonText(v: unknown): string {
  const m = (v as { message?: { en?: string } } | undefined)?.message?.en;
  return typeof m === 'string' ? m : '';
}

function page(entries: Entry[]): string {
  const rows = entries
    .slice()
    .reverse()
    .map(
      (e) =>
        `<tr><td>${escape(e.at)}</td><td>${e.kind}</td><td>${e.ok ? '✔' : '✖'}</td>` +
        `<td><b>${escape(e.title)}</b><pre>${escape(e.detail)}</pre></td></tr>`,
    )
    .join('');
  return (
    '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>Peerlink demo: notifications' +
    '</title><style>body{font:14px system-ui;margin:2em}td{vertical-align:top;padding:4px 8px;border-bottom:1px ' +
    'solid #ddd}pre{white-space:pre-wrap;margin:4px 0}</style><h1>Webhooks and mails received</h1><table>' +
    (rows || '<tr><td>Nothing yet: submit a peering in the console.</td></tr>') +
    '</table>'
  );
}

export async function startDemoNotifications(log: (line: string) => void): Promise<DemoNotifications> {
  const entries: Entry[] = [];
  let secret = '';
  const add = (e: Omit<Entry, 'at'>) => {
    entries.push({ at: new Date().toISOString(), ...e });
    if (entries.length > 500) entries.shift();
    log(`${e.kind === 'webhook' ? 'webhook' : 'mail   '} ${e.ok ? '✔' : '✖'} ${e.title}`);
  };
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(entries));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let ok = true;
      try {
        new Webhook(secret).verify(raw, {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        });
      } catch {
        ok = false;
      }
      const body = JSON.parse(raw) as EventBody;
      const detail = [reasonText(body.data.reason), reasonText(body.data.action)].filter(Boolean).join('\n');
      add({
        kind: 'webhook',
        ok,
        title: `${body.type} ${body.peeringId ?? ''} (signature ${ok ? 'ok' : 'bad'})`,
        detail,
      });
      res.writeHead(ok ? 204 : 401).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const mailer: Mailer = {
    async send(contact, event) {
      const { subject, text } = mailFor(event, contact.locale);
      await transport.sendMail({ from: 'Peerlink demo <demo@peerlink.local>', to: contact.email, subject, text });
      add({ kind: 'mail', ok: true, title: `to ${contact.email}: ${subject}`, detail: text });
      return 'kept by the demo mailbox';
    },
    close: () => transport.close(),
  };
  return {
    url,
    hookUrl: `${url}hook`,
    mailer,
    setSecret: (s) => (secret = s),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

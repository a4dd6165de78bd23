/**
 * E-mail notifications (issue 16): the Tencent flow's action-required and deadline-approaching events reach each
 * contact through SMTP (a local `smtp-server` on loopback), in the contact's language; other events are not mailed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SMTPServer } from 'smtp-server';
import { tencentSimulation, type TencentFixture, TC_CUSTOMER_UIN } from '../../src/clouds/tencent/simulation.js';
import { startHarness, type Harness } from '../support/harness.js';

interface Mail {
  to: string;
  subject: string;
  text: string;
}

let h: Harness;
let tc: TencentFixture;
let smtp: SMTPServer;
const mails: Mail[] = [];

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=), as nodemailer writes a non-ASCII subject */
function decodeWords(s: string): string {
  return s.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_w, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/** The subject and the text of a single-part message (base64 or quoted-printable). */
function parse(raw: string): { subject: string; text: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeWords(/^subject: (.*)$/im.exec(headers)?.[1] ?? '');
  const encoding = /^content-transfer-encoding: (.*)$/im.exec(headers)?.[1]?.trim().toLowerCase();
  const body = rest.join('\n\n');
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body
              .replace(/=\r?\n/g, '')
              .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8')
        : body;
  return { subject, text };
}

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(',');
        mails.push({ to, ...parse(Buffer.concat(chunks).toString('utf8')) });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const addr = smtp.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  h = await startHarness({ smtpUrl: `smtp://127.0.0.1:${port}`, smtpFrom: 'Peerlink <noreply@peerlink.test>' });
  tc = await h.fixture(tencentSimulation);
});
after(async () => {
  await h.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

async function until(what: string, cond: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; mails: ${JSON.stringify(mails)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('the Tencent flow mails each contact what to do and the deadline warning, in its language', async () => {
  for (const [email, locale] of [
    ['ops@example.com', 'en'],
    ['yunwei@example.cn', 'zh-CN'],
  ]) {
    const c = await h.api('POST', '/v1/notification-contacts', { email, locale });
    assert.equal(c.status, 201, JSON.stringify(c.body));
  }
  const ccn = await tc.customer.createCcn('mail', tc.vpc('172.28.0.0/16'));
  const created = await h.api<{ id: string }>('POST', '/v1/peerings', {
    deploymentId: tc.deploymentId,
    providerPeeringId: ccn,
    customerAccountId: TC_CUSTOMER_UIN,
    customerCidrs: ['172.28.0.0/16'],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  await until('the action-required mails', () => mails.length >= 2);
  h.sim.clock.advance(5 * 60_000 + 1_000);
  await until('the deadline mails', () => mails.length >= 4);

  const en = mails.filter((m) => m.to === 'ops@example.com');
  const zh = mails.filter((m) => m.to === 'yunwei@example.cn');
  assert.deepEqual(
    en.map((m) => m.subject),
    [`Action required on peering ${id}`, `Deadline approaching for peering ${id}`],
  );
  assert.deepEqual(
    zh.map((m) => m.subject),
    [`对等连接 ${id} 需要您操作`, `对等连接 ${id} 即将到期`],
  );
  assert.match(en[0]?.text ?? '', new RegExp(`${ccn}.*`));
  assert.match(en[0]?.text ?? '', /Deadline: 20\d\d-/);
  assert.match(zh[0]?.text ?? '', /截止时间: 20\d\d-/);
  assert.match(zh[1]?.text ?? '', /剩余约 5 分钟/);
  assert.match(en[1]?.text ?? '', /About 5 minutes left/);
  assert.equal(mails.length, 4, 'status changes are not mailed');

  const log = await h.api<{ items: Array<{ type: string }> }>('GET', `/v1/events?peeringId=${id}`);
  assert.ok(
    log.body.items.some((e) => e.type === 'peering.deadline_approaching'),
    'the mailed warning is an event too',
  );
});

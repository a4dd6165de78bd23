/**
 * A webhook receiver on loopback for tests: records every request, verifies each signature with the Standard Webhooks
 * reference implementation (`standardwebhooks`' Webhook.verify), and answers as the test says (a status, or no answer
 * at all until the deliverer times out).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  type: string;
  headers: IncomingHttpHeaders;
  body: { id: string; type: string; peeringId: string | null; data: Record<string, unknown> };
  /** the signature verified with the secret the receiver held then */
  verified: boolean;
  /** what the receiver answered */
  answered: number | 'hang';
}

export interface Receiver {
  url: string;
  received: Received[];
  /** the ones answered with 2xx, i.e. delivered */
  delivered(): Received[];
  secret: string;
  /** how the next requests are answered: a status, or 'hang' (no answer) */
  answer: number | 'hang';
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const hanging = new Set<() => void>();
  const r: Receiver = {
    url: '',
    received: [],
    secret: '',
    answer: 204,
    delivered: () => r.received.filter((x) => typeof x.answered === 'number' && x.answered < 300),
    close: async () => {
      for (const end of hanging) end();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let verified: boolean;
      try {
        new Webhook(r.secret).verify(raw, {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        });
        verified = true;
      } catch {
        verified = false;
      }
      const body = JSON.parse(raw) as Received['body'];
      const answered = r.answer;
      r.received.push({
        id: String(req.headers['webhook-id']),
        type: body.type,
        headers: req.headers,
        body,
        verified,
        answered,
      });
      if (answered === 'hang') {
        const end = () => res.destroy();
        hanging.add(end);
        res.on('close', () => hanging.delete(end));
        return;
      }
      res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered < 300 ? 'ok' : 'receiver says no');
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const addr = server.address();
  r.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
  return r;
}

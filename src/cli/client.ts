/** Client commands against a running Peerlink (PEERLINK_URL, PEERLINK_API_KEY). Output is the API's JSON. */
import { Command } from 'commander';
import { EventStreamParser } from '../core/sse.js';

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const base = process.env.PEERLINK_URL ?? 'http://127.0.0.1:8080';
  const key = process.env.PEERLINK_API_KEY;
  if (!key) throw new Error('set PEERLINK_API_KEY (the demo writes it to data/demo.env)');
  const headers: Record<string, string> = {
    authorization: `Bearer ${key}`,
    'accept-language': process.env.PEERLINK_LANG ?? 'en',
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const value = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const e = value as { code?: string; message?: string };
    throw new Error(`${res.status} ${e?.code ?? ''}: ${e?.message ?? text}`);
  }
  return value;
}

const print = (v: unknown) => console.log(JSON.stringify(v, null, 2));

/**
 * Waits on the organization's event stream (filtered to this peering's status changes) until `done` holds: the stream
 * is opened before the first read, so no change falls between them; a dropped stream resumes with Last-Event-ID, and
 * polling every 2 s is the fallback when the stream cannot be had.
 */
async function waitForStatus(
  id: string,
  done: (status: string) => boolean,
  get: () => Promise<{ status: string }>,
  deadline: number,
): Promise<void> {
  const base = process.env.PEERLINK_URL ?? 'http://127.0.0.1:8080';
  const query = `peeringId=${encodeURIComponent(id)}&types=peering.status_changed`;
  let lastId: string | null = null;
  while (Date.now() < deadline) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), Math.max(0, deadline - Date.now()));
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${process.env.PEERLINK_API_KEY ?? ''}`,
        accept: 'text/event-stream',
      };
      if (lastId) headers['last-event-id'] = lastId;
      const res = await fetch(`${base}/v1/events/stream?${query}`, { headers, signal: abort.signal });
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      if (done((await get()).status)) return;
      const parser = new EventStreamParser();
      const decoder = new TextDecoder();
      for await (const chunk of res.body) {
        for (const e of parser.push(decoder.decode(chunk, { stream: true }))) {
          lastId = e.id ?? lastId;
          const to = (JSON.parse(e.data) as { data?: { to?: string } }).data?.to;
          if (to && done(to)) return;
        }
      }
    } catch (err) {
      if (abort.signal.aborted) return;
      if (process.env.PEERLINK_DEBUG) console.error(`event stream: ${String(err)}; polling`);
      if (done((await get()).status)) return;
      await new Promise((r) => setTimeout(r, 2_000));
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }
}

export function clientCommands(): Command[] {
  const facts = new Command('facts')
    .description("a deployment's peering facts (step 1 of the console flow)")
    .argument('<deploymentId>')
    .action(async (id: string) => print(await call('GET', `/v1/deployments/${id}/peering-facts`)));
  const deployments = new Command('deployments')
    .description('your deployments')
    .action(async () => print(await call('GET', '/v1/deployments')));

  const peerings = new Command('peerings').description('create, list, inspect and delete peerings');
  peerings
    .command('create')
    .description('submit what your cloud gave back; which fields a cloud needs: `peerlink facts <deployment>` → form')
    .requiredOption('--deployment <id>')
    .option('--peering-id <id>', 'the cloud’s id of the connection you created (providerPeeringId)')
    .option('--account-id <id>', 'your account (customerAccountId)')
    .option('--vpc-id <id>', 'your VPC or network (customerVpcId)')
    .option('--cidr <cidr...>', 'your VPC CIDRs, where the cloud does not report them')
    .action(
      async (o: { deployment: string; peeringId?: string; accountId?: string; vpcId?: string; cidr?: string[] }) =>
        print(
          await call('POST', '/v1/peerings', {
            deploymentId: o.deployment,
            providerPeeringId: o.peeringId,
            customerAccountId: o.accountId,
            customerVpcId: o.vpcId,
            customerCidrs: o.cidr,
          }),
        ),
    );
  peerings
    .command('retry <id>')
    .description(
      'retry a failed peering: the platform asks again (a new approval window), or looks for your connection again',
    )
    .action(async (id: string) => print(await call('POST', `/v1/peerings/${encodeURIComponent(id)}/retry`)));
  peerings
    .command('set-cidrs <id>')
    .description('correct the CIDRs you typed (clouds that do not report them); the platform routes follow')
    .requiredOption('--cidr <cidr...>', 'your VPC CIDRs')
    .action(async (id: string, o: { cidr: string[] }) =>
      print(await call('PATCH', `/v1/peerings/${encodeURIComponent(id)}`, { customerCidrs: o.cidr })),
    );
  peerings
    .command('list')
    .option('--deployment <id>')
    .action(async (o: { deployment?: string }) =>
      print(
        await call('GET', `/v1/peerings${o.deployment ? `?deploymentId=${encodeURIComponent(o.deployment)}` : ''}`),
      ),
    );
  peerings
    .command('get')
    .argument('<id>')
    .option('--wait <status>', 'wait until the peering reaches this status (or failed), on the live event stream')
    .option('--timeout <seconds>', 'give up after this long', '60')
    .action(async (id: string, o: { wait?: string; timeout: string }) => {
      const deadline = Date.now() + Number(o.timeout) * 1000;
      const get = async () => (await call('GET', `/v1/peerings/${encodeURIComponent(id)}`)) as { status: string };
      const done = (status: string) => !o.wait || status === o.wait || status === 'failed';
      if (!o.wait) return print(await get());
      await waitForStatus(id, done, get, deadline);
      print(await get());
    });
  peerings
    .command('events')
    .argument('<id>')
    .action(async (id: string) => print(await call('GET', `/v1/peerings/${id}/events`)));
  peerings
    .command('delete')
    .argument('<id>')
    .action(async (id: string) => print(await call('DELETE', `/v1/peerings/${id}`)));

  const resources = new Command('resources').description('data-integration resources bound to peerings');
  resources
    .command('create')
    .requiredOption('--deployment <id>')
    .requiredOption('--name <name>')
    .requiredOption('--address <ip[:port]>')
    .action(async (o: { deployment: string; name: string; address: string }) =>
      print(await call('POST', '/v1/resources', { deploymentId: o.deployment, name: o.name, address: o.address })),
    );
  resources
    .command('list')
    .option('--deployment <id>')
    .action(async (o: { deployment?: string }) =>
      print(
        await call('GET', `/v1/resources${o.deployment ? `?deploymentId=${encodeURIComponent(o.deployment)}` : ''}`),
      ),
    );
  resources
    .command('delete')
    .argument('<id>')
    .action(async (id: string) => {
      await call('DELETE', `/v1/resources/${id}`);
      console.log(`deleted ${id}`);
    });
  return [facts, deployments, peerings, resources];
}

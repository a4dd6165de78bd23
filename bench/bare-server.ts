/** The bench's reference: bare Fastify serving the very JSON Peerlink served, from memory, no auth, no database. */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const { list, one, id } = JSON.parse(readFileSync(process.argv[2], 'utf8')) as {
  list: string;
  one: string;
  id: string;
};
const app = Fastify();
app.get('/v1/peerings', async (_req, reply) => reply.type('application/json; charset=utf-8').send(list));
app.get(`/v1/peerings/${id}`, async (_req, reply) => reply.type('application/json; charset=utf-8').send(one));
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
console.log(`bare fastify listening on http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);

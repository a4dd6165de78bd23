/** Ids for Peerlink's own objects: a readable prefix and a time-ordered body, so event ids sort by creation. */
import { randomBytes } from 'node:crypto';

let counter = 0;

export function newId(prefix: string, now = Date.now()): string {
  counter = (counter + 1) % 1296;
  return `${prefix}_${now.toString(36).padStart(9, '0')}${counter.toString(36).padStart(2, '0')}${randomBytes(5).toString('hex')}`;
}

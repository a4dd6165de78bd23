/** Ids for Peerlink's own objects: a readable prefix and a time-ordered body, so event ids sort by creation. */
import { randomBytes } from 'node:crypto';
import type { IdSource } from '../core/ids.js';

let counter = 0;

export function newId(prefix: string, now = Date.now()): string {
  counter = (counter + 1) % 1296;
  const time = now.toString(36).padStart(9, '0');
  return `${prefix}_${time}${counter.toString(36).padStart(2, '0')}${randomBytes(5).toString('hex')}`;
}

export const randomIds: IdSource = { next: (prefix, at) => newId(prefix, at.getTime()) };

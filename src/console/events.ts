/**
 * The live event stream in the console (issue 16): `GET /v1/events/stream` read with `fetch` (an `EventSource` cannot
 * send the organization key), parsed like the CLI does (core/sse.ts). Each event calls `onEvent`, so a page reloads
 * what changed at once; the page's polling stays as the fallback. A dropped stream reconnects after a pause, resuming
 * with `Last-Event-ID`.
 */
import { useEffect, useRef } from 'react';
import { EventStreamParser } from '../core/sse';
import type { Api } from './api';

export interface StreamFilter {
  deploymentId?: string;
  peeringId?: string;
  types?: string[];
}

export interface LiveEvent {
  id: string;
  type: string;
  peeringId: string | null;
}

function queryOf(f: StreamFilter): string {
  const q = new URLSearchParams();
  if (f.deploymentId) q.set('deploymentId', f.deploymentId);
  if (f.peeringId) q.set('peeringId', f.peeringId);
  if (f.types?.length) q.set('types', f.types.join(','));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Calls `onEvent` for every new event matching `filter`, while the component is mounted. */
export function useEventStream(api: Api, filter: StreamFilter, onEvent: (e: LiveEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const query = queryOf(filter);
  useEffect(() => {
    const abort = new AbortController();
    let lastId: string | null = null;
    const run = async () => {
      while (!abort.signal.aborted) {
        try {
          const headers: Record<string, string> = { authorization: `Bearer ${api.key}`, accept: 'text/event-stream' };
          if (lastId) headers['last-event-id'] = lastId;
          const res = await fetch(`/v1/events/stream${query}`, { headers, signal: abort.signal });
          if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
          const reader = res.body.getReader();
          const parser = new EventStreamParser();
          const decoder = new TextDecoder();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            for (const e of parser.push(decoder.decode(value, { stream: true }))) {
              lastId = e.id ?? lastId;
              const body = JSON.parse(e.data) as { id: string; type: string; peeringId: string | null };
              handler.current({ id: body.id, type: body.type, peeringId: body.peeringId });
            }
          }
        } catch {
          // the stream is a convenience: polling carries on; try again shortly
        }
        if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, 3_000));
      }
    };
    void run();
    return () => abort.abort();
  }, [api, query]);
}

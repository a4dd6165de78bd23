/** Small shared pieces: status badge, copy button, countdown, polling, hash routing, errors. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from './i18n';
import { clockOffsetMs, type ApiError } from './api';

export function useHashRoute(): string[] {
  const read = () => (location.hash.replace(/^#\/?/, '') || '').split('/').filter(Boolean);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const on = () => setParts(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return parts;
}

export const go = (path: string) => {
  location.hash = `#/${path}`;
};

/** Calls `load` now and every `ms` (statuses update without reloading); stops when unmounted. */
export function usePoll<T>(
  load: () => Promise<T>,
  ms: number,
  deps: unknown[],
): { data: T | null; error: ApiError | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    let timer: number | undefined;
    const run = async () => {
      try {
        const v = await load();
        if (live.current) {
          setData(v);
          setError(null);
        }
      } catch (e) {
        if (live.current) setError(e as ApiError);
      }
      if (live.current && ms > 0) timer = window.setTimeout(run, ms);
    };
    void run();
    return () => {
      live.current = false;
      window.clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((n) => n + 1) };
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {t.statusNames[status] ?? status}
    </span>
  );
}

export function CopyButton({ value, label }: { value: string; label?: string }) {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      aria-label={`${t.copy} ${label ?? value}`}
      onClick={() => {
        void navigator.clipboard?.writeText(value).catch(() => undefined);
        setDone(true);
        window.setTimeout(() => setDone(false), 1500);
      }}
    >
      {done ? t.copied : t.copy}
    </button>
  );
}

/** Time left until `deadline` by the server's clock, ticking every second. */
export function Countdown({ deadline }: { deadline: string }) {
  const { t } = useI18n();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);
  const left = Math.max(0, Date.parse(deadline) - (now + clockOffsetMs));
  const mm = Math.floor(left / 60_000);
  const ss = Math.floor((left % 60_000) / 1000);
  return (
    <p className="countdown" role="timer" aria-live="off" data-left-ms={left}>
      {t.timeLeft}: <strong>{left > 0 ? `${mm}:${String(ss).padStart(2, '0')}` : t.expired}</strong>
    </p>
  );
}

export function ErrorBox({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <p className="error" role="alert" data-code={error.code}>
      <code>{error.code}</code> {error.message}
    </p>
  );
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function Pre({ text, label }: { text: string; label: string }) {
  return (
    <div className="pre">
      <CopyButton value={text} label={label} />
      <pre tabIndex={0} aria-label={label}>
        {text}
      </pre>
    </div>
  );
}

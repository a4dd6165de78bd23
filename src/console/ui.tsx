/**
 * Small shared pieces: status badge, copy button, countdown, times in the viewer's words, polling that says how fresh
 * it is, hash routing with a title and focus per page, errors.
 */
export { Dialog } from './dialog';
import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import { fill, useI18n, type Lang } from './i18n';
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

/** The page's title (the tab, the history list, what a screen reader announces first) names where the user is. */
export function usePageTitle(title: string | null): void {
  const { t } = useI18n();
  useEffect(() => {
    document.title = title ? `${title} · ${t.appName}` : `${t.appName} — ${t.tagline}`;
  }, [title, t]);
}

/** The page's one h1; it takes focus when the page opens, so keyboard and screen-reader users start at the top. */
export function PageHeading({ children, id }: { children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref} id={id}>
      {children}
    </h1>
  );
}

/** Every second (for countdowns and "N s ago"), paused while the tab is hidden. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = window.setInterval(() => {
      if (!document.hidden) setNow(Date.now());
    }, everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  return now;
}

export interface Polled<T> {
  data: T | null;
  error: ApiError | null;
  /** when the latest successful answer arrived (browser clock) */
  updatedAt: number | null;
  /** a load is under way */
  loading: boolean;
  reload: () => void;
}

/**
 * Calls `load` now and every `ms` (statuses update without reloading); stops when unmounted, while the tab is hidden
 * (resuming with a load as soon as it shows again), and for good once `done(data)` says nothing more can change.
 */
export function usePoll<T>(
  load: () => Promise<T>,
  ms: number,
  deps: unknown[],
  done?: (data: T) => boolean,
): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const doneRef = useRef(done);
  doneRef.current = done;
  useEffect(() => {
    let live = true;
    let timer: number | undefined;
    let running = false;
    let finished = false;
    const schedule = () => {
      window.clearTimeout(timer);
      if (live && ms > 0 && !finished && !document.hidden) timer = window.setTimeout(run, ms);
    };
    const run = async () => {
      if (running) return;
      running = true;
      setLoading(true);
      try {
        const v = await load();
        if (live) {
          setData(v);
          setError(null);
          setUpdatedAt(Date.now());
          finished = doneRef.current?.(v) ?? false;
        }
      } catch (e) {
        if (live) setError(e as ApiError);
      } finally {
        running = false;
        if (live) setLoading(false);
      }
      schedule();
    };
    const onVisibility = () => {
      if (document.hidden) window.clearTimeout(timer);
      else if (ms > 0 && !finished) void run();
    };
    document.addEventListener('visibilitychange', onVisibility);
    void run();
    return () => {
      live = false;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [...deps, tick]);
  return { data, error, updatedAt, loading, reload: () => setTick((n) => n + 1) };
}

/** "Updated 4 s ago" while polling works; a banner, with the age of what is shown, when it does not. */
export function Freshness({ polled, paused }: { polled: Polled<unknown>; paused?: boolean }) {
  const { t, lang } = useI18n();
  const now = useNow();
  if (!polled.updatedAt) return null;
  const ago = relative(polled.updatedAt, now, lang);
  if (polled.error)
    return (
      <p className="banner" role="alert" data-testid="stale">
        {fill(t.updatesFailing, { ago })} <span className="muted">{polled.error.message}</span>
      </p>
    );
  return (
    <p className="muted freshness" data-testid="freshness">
      {paused ? fill(t.finalAsOf, { ago }) : fill(t.updatedAgo, { ago })}
    </p>
  );
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

/** An id or value in running text: set in code, with its own copy button. */
export function Copyable({ value, label }: { value: string; label?: string }) {
  return (
    <span className="copyable">
      <code>{value}</code> <CopyButton value={value} label={label} />
    </span>
  );
}

/** Time left until `deadline` by the server's clock, ticking every second. */
export function Countdown({ deadline }: { deadline: string }) {
  const { t } = useI18n();
  const now = useNow();
  const left = Math.max(0, Date.parse(deadline) - (now + clockOffsetMs));
  const mm = Math.floor(left / 60_000);
  const ss = Math.floor((left % 60_000) / 1000);
  return (
    <p className="countdown" role="timer" aria-live="off" data-left-ms={left}>
      {t.timeLeft}: <strong>{left > 0 ? `${mm}:${String(ss).padStart(2, '0')}` : t.expired}</strong>{' '}
      <span className="muted">
        ({t.until} <When iso={deadline} />)
      </span>
    </p>
  );
}

/** "in 9 minutes", "3 秒前": the distance from now, in the chosen language. */
export function relative(at: number, now: number, lang: Lang): string {
  const s = Math.round((at - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const abs = Math.abs(s);
  if (abs < 60) return rtf.format(s, 'second');
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86_400), 'day');
}

export function localTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}

/** A moment in the viewer's local time with how far it is from now; the exact UTC instant in the tooltip. */
export function When({ iso }: { iso: string }) {
  const { lang } = useI18n();
  const now = useNow() + clockOffsetMs;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return <>{iso}</>;
  return (
    <time dateTime={iso} title={iso} className="when">
      {localTime(iso, lang)} ({relative(at, now, lang)})
    </time>
  );
}

const isoPattern = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/**
 * Text from the server, worded for people: timestamps in local time with a relative form, and the ids the customer
 * copies between consoles (`copyable`) with copy buttons beside them.
 */
export function Prose({ text, copyable = [] }: { text: string; copyable?: readonly string[] }) {
  const ids = [...new Set(copyable.filter((v) => v && v.length >= 4))].sort((a, b) => b.length - a.length);
  const escaped = ids.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const splitter = new RegExp(`(${[isoPattern.source, ...escaped].join('|')})`, 'g');
  const parts = text.split(splitter);
  return (
    <>
      {parts.map((part, i) => {
        if (i % 2 === 0) return <Fragment key={i}>{part}</Fragment>;
        if (new RegExp(`^${isoPattern.source}$`).test(part)) return <When key={i} iso={part} />;
        return <Copyable key={i} value={part} />;
      })}
    </>
  );
}

export function ErrorBox({ error }: { error: ApiError | null }) {
  const { lang } = useI18n();
  if (!error) return null;
  return (
    <p className="error" role="alert" data-code={error.code}>
      <Prose text={error.in(lang)} /> <code className="muted">{error.code}</code>
    </p>
  );
}

export function Section({
  title,
  children,
  id,
  level = 2,
}: {
  title: ReactNode;
  children: ReactNode;
  id?: string;
  level?: 1 | 2;
}) {
  return (
    <section className="card" aria-labelledby={id}>
      {level === 1 ? <PageHeading id={id}>{title}</PageHeading> : <h2 id={id}>{title}</h2>}
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

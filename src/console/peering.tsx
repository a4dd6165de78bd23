/** A peering's page: its live status, what can be done now (check, retry, edit, cancel or delete), its history. */
import { useState } from 'react';
import { fill, useI18n } from './i18n';
import type { Api, ApiError, PeeringDetail, PeeringEvent, Resource } from './api';
import { splitList } from './form';
import { note } from './notes';
import { CustomerSide, DemoActions, LiveStatus, isTerminal, peeringName } from './outcome';
import {
  Copyable,
  Dialog,
  ErrorBox,
  Freshness,
  PageHeading,
  Pre,
  Prose,
  Section,
  StatusBadge,
  When,
  go,
  relative,
  useNow,
  usePageTitle,
  usePoll,
} from './ui';
import { useEventStream } from './events';

export function PeeringPage({ api, id, demo }: { api: Api; id: string; demo: boolean }) {
  const { t, lang } = useI18n();
  const peering = usePoll(() => api.call<PeeringDetail>('GET', `/v1/peerings/${id}`), 1500, [api, id], isTerminal);
  const terminal = peering.data ? isTerminal(peering.data) : false;
  const events = usePoll(
    () => api.call<{ items: PeeringEvent[] }>('GET', `/v1/peerings/${id}/events`),
    terminal ? 0 : 3000,
    [api, id, terminal, peering.data?.status],
  );
  const resources = usePoll(
    () => api.call<{ items: Resource[] }>('GET', `/v1/resources?peeringId=${id}&limit=200`),
    terminal ? 0 : 3000,
    [api, id, terminal],
  );
  // a change reloads at once — unless the peering is final or the tab hidden (the poll's own rules: showing the tab
  // again loads anyway)
  useEventStream(api, { peeringId: id }, () => {
    if (terminal || document.hidden) return;
    peering.reload();
    events.reload();
  });
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [cidrs, setCidrs] = useState('');
  const [checkedAt, setCheckedAt] = useState<number | null>(null);
  const [checking, setChecking] = useState(false);
  const now = useNow();
  const p = peering.data;
  usePageTitle(p ? `${t.peering} ${peeringName(p)}` : t.peering);
  if (!p)
    return (
      <>
        <PageHeading>{t.peering}</PageHeading>
        <ErrorBox error={peering.error} />
        {!peering.error && <p>{t.loading}</p>}
      </>
    );
  const name = peeringName(p);
  const bound = resources.data?.items ?? [];
  const canDelete = p.actions.delete && bound.length === 0;
  // in flight, a delete is a cancel: the platform withdraws its side
  const cancels = p.status === 'pending' || p.status === 'awaiting-customer';
  // a running peering carries traffic: deleting it asks for its name, typed
  const mustType = p.status === 'running';
  const act = async (method: string, path: string, body?: unknown) => {
    try {
      await api.call(method, path, body);
      setError(null);
      peering.reload();
      events.reload();
      return true;
    } catch (err) {
      setError(err as ApiError);
      return false;
    }
  };
  const editable = cancels || p.status === 'failed';
  return (
    <>
      <p>
        <a href={`#/d/${p.deploymentId}`}>← {t.back}</a>
      </p>
      <Section title={`${t.peering} ${name}`} id="peering" level={1}>
        <LiveStatus p={p} />
        <Freshness polled={peering} paused={terminal} />
        <div className="actions">
          <button
            type="button"
            onClick={async () => {
              setChecking(true);
              await act('POST', `/v1/peerings/${id}/resync`);
              setChecking(false);
              setCheckedAt(Date.now());
            }}
            disabled={!p.actions.resync || checking}
            aria-describedby="checked-at"
          >
            {checking ? t.checking : t.resync}
          </button>
          {p.actions.retry && (
            <button type="button" onClick={() => void act('POST', `/v1/peerings/${id}/retry`)}>
              {t.retry}
            </button>
          )}
          {editable && (
            <button
              type="button"
              onClick={async () => {
                if (p.actions.delete && !(await act('DELETE', `/v1/peerings/${id}`))) return;
                go(`d/${p.deploymentId}/new/${id}`);
              }}
            >
              {t.editResubmit}
            </button>
          )}
          <button
            type="button"
            className="danger"
            disabled={!canDelete}
            aria-describedby={!canDelete ? 'delete-why' : undefined}
            onClick={() => {
              setTyped('');
              setConfirming(true);
            }}
          >
            {cancels ? t.cancelPeering : t.deletePeering}
          </button>
          <span id="checked-at" className="muted" role="status" data-testid="checked-at">
            {checkedAt && !checking ? fill(t.checkedAt, { ago: relative(checkedAt, now, lang) }) : ''}
          </span>
        </div>
        {!canDelete && p.status !== 'deleted' && p.status !== 'deleting' && (
          <p id="delete-why" className="muted" data-testid="delete-why">
            {bound.length > 0
              ? fill(t.deleteBlockedResources, { list: bound.map((r) => `${r.name} (${r.address})`).join(', ') })
              : t.deleteBlockedStatus}
          </p>
        )}
        {confirming && (
          <Dialog
            title={fill(cancels ? t.confirmCancelTitle : t.confirmDeleteTitle, { name })}
            onClose={() => setConfirming(false)}
          >
            <p>{cancels ? t.confirmCancel : t.confirmDelete}</p>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (mustType && typed.trim() !== name) return;
                setConfirming(false);
                void act('DELETE', `/v1/peerings/${id}`);
              }}
            >
              {mustType && (
                <div className="field">
                  <label htmlFor="confirm-name">{fill(t.typeToConfirm, { id: name })}</label>
                  <input
                    id="confirm-name"
                    data-expected={name}
                    value={typed}
                    onChange={(e) => setTyped(e.target.value)}
                    autoComplete="off"
                    spellCheck={false}
                  />
                </div>
              )}
              <div className="nav">
                <button type="button" onClick={() => setConfirming(false)}>
                  {cancels ? t.keep : t.cancel}
                </button>
                <button type="submit" className="danger" disabled={mustType && typed.trim() !== name}>
                  {cancels ? t.cancelPeering : t.deletePeering}
                </button>
              </div>
            </form>
          </Dialog>
        )}
        <ErrorBox error={error} />
        <dl className="facts">
          <dt>{t.customerVpc}</dt>
          <dd>{p.customerVpcId ? <Copyable value={p.customerVpcId} label={t.customerVpc} /> : '—'}</dd>
          <dt>{t.customerCidrs}</dt>
          <dd>{p.customerCidrs.length ? p.customerCidrs.map((c) => <code key={c}>{c} </code>) : '—'}</dd>
          <dt>{t.resources}</dt>
          <dd>{bound.length ? bound.map((r) => `${r.name} (${r.address})`).join(', ') : '—'}</dd>
        </dl>
        {p.actions.correctCidrs && (
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void act('PATCH', `/v1/peerings/${id}`, { customerCidrs: splitList(cidrs) });
            }}
          >
            <label>
              {t.correctCidrs}
              <input
                value={cidrs}
                onChange={(e) => setCidrs(e.target.value)}
                placeholder={p.customerCidrs.join(', ')}
              />
            </label>
            <button type="submit">{t.save}</button>
          </form>
        )}
      </Section>
      <Section title={t.step4} id="customer-side">
        <CustomerSide p={p} />
        {!(p.status === 'deleted' || p.status === 'deleting') && (
          <Pre text={p.customerSide.guidance.commands} label={t.commands} />
        )}
        {demo && <DemoActions api={api} p={p} />}
      </Section>
      <Section title={t.timeline} id="timeline">
        <ol className="timeline">
          {(events.data?.items ?? []).map((e) => (
            <li key={e.id} data-kind={e.kind}>
              <When iso={e.at} /> <strong>{t.eventKinds[e.kind] ?? e.kind}</strong>
              {e.toStatus && (
                <>
                  {' '}
                  → <StatusBadge status={e.toStatus} />
                </>
              )}{' '}
              <span>
                <Prose text={note(e.note, lang)} />
              </span>
              {e.reason && (
                <div className="reason" data-code={e.reason.code}>
                  <Prose text={e.reason.message} />
                </div>
              )}
            </li>
          ))}
        </ol>
      </Section>
    </>
  );
}

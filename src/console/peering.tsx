/** A peering: its live status and reason, what the customer adds on its side, its history, and what can be done now. */
import { useEffect, useRef, useState } from 'react';
import { fill, useI18n } from './i18n';
import type { Api, ApiError, DemoAction, DemoResult, Peering, PeeringDetail, PeeringEvent, Resource } from './api';
import { splitList } from './form';
import { Countdown, CopyButton, ErrorBox, Pre, Section, StatusBadge, usePoll } from './ui';
import { useEventStream } from './events';

/** Step 4: the customer's route and security-group rule, and the live status. */
export function Outcome({ api, peeringId, demo }: { api: Api; peeringId: string; demo: boolean }) {
  const { t } = useI18n();
  const { data, error } = usePoll(() => api.call<PeeringDetail>('GET', `/v1/peerings/${peeringId}`), 1500, [
    api,
    peeringId,
  ]);
  if (!data)
    return (
      <>
        <ErrorBox error={error} />
        <p>{t.loading}</p>
      </>
    );
  return (
    <>
      <LiveStatus p={data} />
      <CustomerSide p={data} />
      {demo && <DemoActions api={api} p={data} />}
      <p>
        <a href={`#/p/${peeringId}`}>{t.viewPeering} →</a>
      </p>
    </>
  );
}

function LiveStatus({ p }: { p: Peering }) {
  const { t } = useI18n();
  return (
    <div className="live" role="status" aria-live="polite">
      <p>
        {t.status}: <StatusBadge status={p.status} /> {p.providerPeeringId && <code>{p.providerPeeringId}</code>}
      </p>
      {p.reason && (
        <p className={p.status === 'failed' ? 'error' : 'hint'} data-code={p.reason.code}>
          {p.reason.message}
        </p>
      )}
      {p.status === 'awaiting-customer' && p.deadlineAt && <Countdown deadline={p.deadlineAt} />}
      {p.retry && <p className="muted">{p.retry.lastError}</p>}
    </div>
  );
}

function CustomerSide({ p }: { p: PeeringDetail }) {
  const { t } = useI18n();
  const hop = p.providerPeeringId ?? '…';
  return (
    <div className="grid2">
      <div>
        <h4>{t.routeTitle}</h4>
        {!p.customerSide.routeNeeded ? (
          <p className="muted">{fill(t.routesPropagated, { cidr: p.customerSide.routeDestination, hop })}</p>
        ) : (
          <dl className="facts">
            <dt>{t.destination}</dt>
            <dd>
              <code>{p.customerSide.routeDestination}</code>{' '}
              <CopyButton value={p.customerSide.routeDestination} label={t.destination} />
            </dd>
            <dt>{t.nextHop}</dt>
            <dd>
              <code>{hop}</code>
            </dd>
          </dl>
        )}
      </div>
      <div>
        <h4>{t.sgTitle}</h4>
        <dl className="facts">
          <dt>{t.source}</dt>
          <dd>
            <code>{p.customerSide.securityGroupSource}</code>{' '}
            <CopyButton value={p.customerSide.securityGroupSource} label={t.source} />
          </dd>
        </dl>
      </div>
    </div>
  );
}

/** The demo's customer-cloud panel after the submit: the actions that fit the peering's status (approve, route). */
function DemoActions({ api, p }: { api: Api; p: Peering }) {
  const { t } = useI18n();
  const actions = usePoll(
    () => api.call<{ items: DemoAction[] }>('GET', `/v1/demo/deployments/${p.deploymentId}/actions`),
    0,
    [api, p.deploymentId],
  );
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const now = (actions.data?.items ?? []).filter((a) => a.stage === 'after-submit' && a.statuses.includes(p.status));
  const act = async (key: string) => {
    try {
      const path = `/v1/demo/deployments/${p.deploymentId}/actions/${key}`;
      setNote((await api.call<DemoResult>('POST', path, { peeringId: p.id })).note);
      setError(null);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="demo" role="region" aria-label={t.demoPanel}>
      <h4>{t.demoPanel}</h4>
      {now.map((a) => (
        <button key={a.key} type="button" data-demo={a.key} onClick={() => void act(a.key)}>
          {a.label}
        </button>
      ))}
      {note && (
        <p role="status">
          {t.demoDone} <code>{note}</code>
        </p>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

export function PeeringPage({ api, id, demo }: { api: Api; id: string; demo: boolean }) {
  const { t } = useI18n();
  const peering = usePoll(() => api.call<PeeringDetail>('GET', `/v1/peerings/${id}`), 1500, [api, id]);
  const events = usePoll(() => api.call<{ items: PeeringEvent[] }>('GET', `/v1/peerings/${id}/events`), 3000, [
    api,
    id,
  ]);
  const resources = usePoll(
    () => api.call<{ items: Resource[] }>('GET', `/v1/resources?peeringId=${id}&limit=200`),
    3000,
    [api, id],
  );
  useEventStream(api, { peeringId: id }, () => (peering.reload(), events.reload()));
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [cidrs, setCidrs] = useState('');
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), [confirming]);
  const p = peering.data;
  if (!p)
    return (
      <>
        <ErrorBox error={peering.error} />
        <p>{t.loading}</p>
      </>
    );
  const bound = resources.data?.items ?? [];
  const canDelete = p.actions.delete && bound.length === 0;
  // in flight, a delete is a cancel: the platform withdraws its side
  const cancels = p.status === 'pending' || p.status === 'awaiting-customer';
  const act = async (method: string, path: string, body?: unknown) => {
    try {
      await api.call(method, path, body);
      setError(null);
      peering.reload();
      events.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <>
      <p>
        <a href={`#/d/${p.deploymentId}`}>← {t.back}</a>
      </p>
      <Section title={`${t.peering} ${p.providerPeeringId ?? ''}`} id="peering">
        <LiveStatus p={p} />
        <div className="actions">
          <button
            type="button"
            onClick={() => void act('POST', `/v1/peerings/${id}/resync`)}
            disabled={!p.actions.resync}
          >
            {t.resync}
          </button>
          {p.actions.retry && (
            <button type="button" onClick={() => void act('POST', `/v1/peerings/${id}/retry`)}>
              {t.retry}
            </button>
          )}
          <button
            type="button"
            className="danger"
            disabled={!canDelete}
            aria-describedby="delete-why"
            onClick={() => setConfirming(true)}
          >
            {cancels ? t.cancelPeering : t.deletePeering}
          </button>
        </div>
        {!canDelete && p.status !== 'deleted' && p.status !== 'deleting' && (
          <p id="delete-why" className="muted" data-testid="delete-why">
            {bound.length > 0
              ? fill(t.deleteBlockedResources, { list: bound.map((r) => `${r.name} (${r.address})`).join(', ') })
              : t.deleteBlockedStatus}
          </p>
        )}
        {confirming && (
          <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-text">
            <p id="confirm-text">{cancels ? t.confirmCancel : t.confirmDelete}</p>
            <button
              type="button"
              className="danger"
              ref={confirmRef}
              onClick={() => {
                setConfirming(false);
                void act('DELETE', `/v1/peerings/${id}`);
              }}
            >
              {cancels ? t.cancelPeering : t.deletePeering}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t.cancel}
            </button>
          </div>
        )}
        <ErrorBox error={error} />
        <dl className="facts">
          <dt>{t.customerVpc}</dt>
          <dd>
            <code>{p.customerVpcId || '—'}</code>
          </dd>
          <dt>{t.customerCidrs}</dt>
          <dd>
            {p.customerCidrs.map((c) => (
              <code key={c}>{c} </code>
            ))}
          </dd>
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
        <Pre text={p.customerSide.guidance.commands} label={t.commands} />
        {demo && <DemoActions api={api} p={p} />}
      </Section>
      <Section title={t.timeline} id="timeline">
        <ol className="timeline">
          {(events.data?.items ?? []).map((e) => (
            <li key={e.id} data-kind={e.kind}>
              <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> <strong>{e.kind}</strong>
              {e.toStatus && (
                <>
                  {' '}
                  → <StatusBadge status={e.toStatus} />
                </>
              )}{' '}
              <span>{e.note}</span>
              {e.reason && (
                <div className="reason" data-code={e.reason.code}>
                  {e.reason.message}
                </div>
              )}
            </li>
          ))}
        </ol>
      </Section>
    </>
  );
}

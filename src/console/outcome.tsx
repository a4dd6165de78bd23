/**
 * A peering's outcome as the customer follows it (the wizard's step 4 and the peering's page): the live status and
 * reason, what to do on its side — route and security group while it comes up, how to connect once it runs, what to
 * clean up once it is gone — and, in the demo, the customer's side played here.
 */
import { useState, type ReactNode } from 'react';
import { fill, useI18n } from './i18n';
import type { Api, ApiError, DemoAction, DemoResult, Peering, PeeringDetail } from './api';
import { Copyable, CopyButton, Countdown, ErrorBox, Freshness, Prose, StatusBadge, When, usePoll } from './ui';

/** Nothing more happens to a peering in these states unless the customer acts (and the page reloads when it does). */
export const isTerminal = (p: Peering) => p.status === 'deleted' || p.status === 'failed';

/** How the customer knows a peering: its cloud connection id, or its VPC while the connection is still being found. */
export const peeringName = (p: Pick<Peering, 'providerPeeringId' | 'customerVpcId'>) =>
  p.providerPeeringId || p.customerVpcId || '—';

/** Step 4: the customer's route and security-group rule, and the live status. */
export function Outcome(props: {
  api: Api;
  peeringId: string;
  demo: boolean;
  actions?: (p: PeeringDetail) => ReactNode;
}) {
  const { api, peeringId, demo } = props;
  const { t } = useI18n();
  const polled = usePoll(
    () => api.call<PeeringDetail>('GET', `/v1/peerings/${peeringId}`),
    1500,
    [api, peeringId],
    isTerminal,
  );
  const data = polled.data;
  if (!data)
    return (
      <>
        <ErrorBox error={polled.error} />
        {!polled.error && <p>{t.loading}</p>}
      </>
    );
  return (
    <>
      <LiveStatus p={data} />
      <Freshness polled={polled} paused={isTerminal(data)} />
      {props.actions?.(data)}
      <CustomerSide p={data} />
      {demo && <DemoActions api={api} p={data} />}
      <p>
        <a href={`#/p/${peeringId}`}>{t.viewPeering} →</a>
      </p>
    </>
  );
}

export function LiveStatus({ p }: { p: Peering }) {
  const { t } = useI18n();
  const ids = [p.providerPeeringId ?? '', p.customerVpcId, p.customerAccountId];
  return (
    <div className="live" role="status" aria-live="polite">
      <p>
        {t.status}: <StatusBadge status={p.status} /> {p.providerPeeringId && <code>{p.providerPeeringId}</code>}
      </p>
      {p.reason && (
        <p className={p.status === 'failed' ? 'error' : 'hint'} data-code={p.reason.code}>
          <Prose text={p.reason.message} copyable={ids} />
        </p>
      )}
      {p.status === 'awaiting-customer' && p.deadlineAt && <Countdown deadline={p.deadlineAt} />}
      {p.status === 'pending' && p.deadlineAt && (
        <p className="muted">
          {t.until} <When iso={p.deadlineAt} />
        </p>
      )}
      {p.retry && p.retry.lastError !== p.reason?.message && (
        <p className="muted">
          <Prose text={p.retry.lastError} />
        </p>
      )}
    </div>
  );
}

/**
 * What the customer does on its side: the route and the security-group rule while the peering is coming up or
 * running (and how to connect once it runs); once it is gone (deleted, or removed outside Peerlink), what to clean up.
 */
export function CustomerSide({ p }: { p: PeeringDetail }) {
  const { t } = useI18n();
  const hop = p.providerPeeringId ?? t.step2Hop;
  const cidr = p.customerSide.routeDestination;
  const gone = p.status === 'deleted' || p.status === 'deleting' || p.reason?.code === 'PEERING_DELETED_BY_CUSTOMER';
  if (gone)
    return (
      <div className="cleanup" data-testid="cleanup">
        <h3>{t.cleanupTitle}</h3>
        {p.providerPeeringId ? (
          <ul>
            {p.customerSide.routeNeeded && <li>{fill(t.cleanupRoute, { cidr, hop })}</li>}
            <li>{fill(t.cleanupSg, { cidr })}</li>
            {p.reason?.code !== 'PEERING_DELETED_BY_CUSTOMER' && <li>{fill(t.cleanupConnection, { hop })}</li>}
          </ul>
        ) : (
          <p>{t.cleanupRequest}</p>
        )}
      </div>
    );
  return (
    <>
      {p.status === 'running' && (
        <div className="connect" data-testid="connect">
          <h3>{t.connectTitle}</h3>
          {p.customerSide.connectTo && (
            <dl className="facts">
              <dt>{t.connectAddress}</dt>
              <dd>
                <Copyable value={p.customerSide.connectTo} label={t.connectAddress} />
              </dd>
            </dl>
          )}
          <p>
            {fill(p.customerSide.connectTo ? t.connectTextAddress : t.connectText, {
              cidr,
              vpcs: [p.customerVpcId, ...p.customerCidrs].filter(Boolean).join(', '),
              address: p.customerSide.connectTo ?? '',
            })}
          </p>
        </div>
      )}
      <div className="grid2">
        <div>
          <h3>{t.routeTitle}</h3>
          {!p.customerSide.routeNeeded ? (
            <p className="muted">{fill(t.routesPropagated, { cidr, hop })}</p>
          ) : (
            <dl className="facts">
              <dt>{t.destination}</dt>
              <dd>
                <code>{cidr}</code> <CopyButton value={cidr} label={t.destination} />
              </dd>
              <dt>{t.nextHop}</dt>
              <dd>{p.providerPeeringId ? <Copyable value={p.providerPeeringId} label={t.nextHop} /> : hop}</dd>
            </dl>
          )}
        </div>
        <div>
          <h3>{t.sgTitle}</h3>
          <dl className="facts">
            <dt>{t.source}</dt>
            <dd>
              <code>{p.customerSide.securityGroupSource}</code>{' '}
              <CopyButton value={p.customerSide.securityGroupSource} label={t.source} />
            </dd>
          </dl>
        </div>
      </div>
    </>
  );
}

/** The demo's customer-cloud panel after the submit: the actions that fit the peering's status (approve, route). */
export function DemoActions({ api, p }: { api: Api; p: Peering }) {
  const { t } = useI18n();
  const actions = usePoll(
    () => api.call<{ items: DemoAction[] }>('GET', `/v1/demo/deployments/${p.deploymentId}/actions`),
    0,
    [api, p.deploymentId],
  );
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const now = (actions.data?.items ?? []).filter((a) => a.stage === 'after-submit' && a.statuses.includes(p.status));
  if (now.length === 0 && !done && !error) return null;
  const act = async (key: string) => {
    try {
      const path = `/v1/demo/deployments/${p.deploymentId}/actions/${key}`;
      setDone((await api.call<DemoResult>('POST', path, { peeringId: p.id })).note);
      setError(null);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="demo" role="region" aria-label={t.demoPanel}>
      <h3>{t.demoPanel}</h3>
      {now.map((a) => (
        <button key={a.key} type="button" data-demo={a.key} onClick={() => void act(a.key)}>
          {a.label}
        </button>
      ))}
      {done && (
        <p role="status">
          {t.demoDone} <code>{done}</code>
        </p>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

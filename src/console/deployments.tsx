/** The deployments list, and one deployment with its peerings (the resources bound to them: resources.tsx). */
import { ResourceForm } from './resources';
import { fill, useI18n, type Strings } from './i18n';
import type { Api, Cloud, Deployment, Facts, Peering, Resource } from './api';
import { isTerminal, peeringName } from './outcome';
import {
  Copyable,
  Countdown,
  ErrorBox,
  Freshness,
  PageHeading,
  Prose,
  Section,
  StatusBadge,
  When,
  go,
  usePageTitle,
  usePoll,
} from './ui';

/** Worst first: what most needs the customer's attention. */
const severity = ['failed', 'awaiting-customer', 'pending', 'deleting', 'running', 'deleted'];

export const planName = (t: Strings, plan: string) => t.planNames[plan] ?? plan;

export function Deployments({ api }: { api: Api }) {
  const { t } = useI18n();
  usePageTitle(t.deployments);
  const { data, error } = usePoll(() => api.call<{ items: Deployment[] }>('GET', '/v1/deployments'), 0, [api]);
  const clouds = usePoll(() => api.call<{ items: Cloud[] }>('GET', '/v1/clouds'), 0, [api]);
  const peerings = usePoll(() => api.call<{ items: Peering[] }>('GET', '/v1/peerings?limit=200'), 10_000, [api]);
  const label = (name: string) => clouds.data?.items.find((c) => c.name === name)?.label ?? name;
  const of = (id: string) => (peerings.data?.items ?? []).filter((p) => p.deploymentId === id);
  return (
    <Section title={t.deployments} id="deployments" level={1}>
      <ErrorBox error={error} />
      {!data ? (
        !error && <p>{t.loading}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.name}</th>
                <th scope="col">{t.plan}</th>
                <th scope="col">{t.cloud}</th>
                <th scope="col">{t.region}</th>
                <th scope="col">{t.cidr}</th>
                <th scope="col">{t.peeringCount}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((d) => {
                const live = of(d.id).filter((p) => p.status !== 'deleted');
                const worst = live.map((p) => p.status).sort((a, b) => severity.indexOf(a) - severity.indexOf(b))[0];
                return (
                  <tr key={d.id} data-deployment={d.id}>
                    <td data-label={t.name}>
                      <span>
                        <a href={`#/d/${d.id}`}>{d.name}</a> <small className="muted">{d.id}</small>
                      </span>
                    </td>
                    <td data-label={t.plan}>{planName(t, d.plan)}</td>
                    <td data-label={t.cloud}>{label(d.provider)}</td>
                    <td data-label={t.region}>{d.region}</td>
                    <td data-label={t.cidr}>
                      <code>{d.vpcCidr}</code>
                    </td>
                    <td data-label={t.peeringCount} data-testid="peering-summary">
                      <span>
                        {peerings.data ? live.length : '…'} {worst && <StatusBadge status={worst} />}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

export function DeploymentPage({ api, id }: { api: Api; id: string }) {
  const { t } = useI18n();
  const deployment = usePoll(() => api.call<Deployment>('GET', `/v1/deployments/${id}`), 0, [api, id]);
  const peerings = usePoll(
    () => api.call<{ items: Peering[] }>('GET', `/v1/peerings?deploymentId=${id}&limit=200`),
    2000,
    [api, id],
    (d) => d.items.every(isTerminal),
  );
  // the facts say whether a new peering can succeed now; they change with the peerings
  const live = (peerings.data?.items ?? []).filter((p) => !isTerminal(p)).length;
  const facts = usePoll(() => api.call<Facts>('GET', `/v1/deployments/${id}/peering-facts`), 0, [api, id, live]);
  const resources = usePoll(
    () => api.call<{ items: Resource[] }>('GET', `/v1/resources?deploymentId=${id}&limit=200`),
    4000,
    [api, id],
  );
  const d = deployment.data;
  usePageTitle(d ? d.name : t.deployments);
  const eligible = facts.data?.eligible ?? false;
  const items = peerings.data?.items ?? [];
  const current = items.filter((p) => p.status !== 'deleted' && p.status !== 'failed');
  const older = items.filter((p) => p.status === 'deleted' || p.status === 'failed');
  return (
    <>
      <p>
        <a href="#/">← {t.deployments}</a>
      </p>
      <ErrorBox error={deployment.error} />
      {!d && !deployment.error && <PageHeading>{t.loading}</PageHeading>}
      {d && (
        <Section title={d.name} id="deployment" level={1}>
          <dl className="facts">
            <dt>{t.cloud}</dt>
            <dd>{facts.data?.cloud.label ?? d.provider}</dd>
            <dt>{t.region}</dt>
            <dd>{d.region}</dd>
            <dt>{t.vpc}</dt>
            <dd>
              <Copyable value={d.vpcId} label={t.vpc} />
            </dd>
            <dt>{t.cidr}</dt>
            <dd>
              <Copyable value={d.vpcCidr} label={t.cidr} />
            </dd>
            {d.privateEndpoint && (
              <>
                <dt>{t.connectAddress}</dt>
                <dd>
                  <Copyable value={d.privateEndpoint} label={t.connectAddress} />
                </dd>
              </>
            )}
            <dt>{t.plan}</dt>
            <dd>{planName(t, d.plan)}</dd>
          </dl>
          <button
            type="button"
            className="primary"
            disabled={!eligible}
            aria-describedby={!eligible ? 'why-not' : undefined}
            onClick={() => go(`d/${id}/new`)}
          >
            {t.addPeering}
          </button>
          {facts.data && !eligible && (
            <p id="why-not" className="error" role="note" data-code={facts.data.refusal?.code}>
              {facts.data.refusal?.code === 'PLAN_NOT_ELIGIBLE' ? `${t.cannotPeer}: ` : `${t.wizardBlocked} `}
              {facts.data.refusal?.message}
              {facts.data.refusal?.code === 'DEPLOYMENT_JOINED_ELSEWHERE' && (
                <span className="muted"> {fill(t.ruleOneNetwork, { cloud: facts.data.cloud.label })}</span>
              )}
            </p>
          )}
        </Section>
      )}
      <Section title={t.peerings} id="peerings">
        {peerings.data && items.length === 0 && <p>{t.noPeerings}</p>}
        {current.length > 0 && <PeeringTable items={current} resources={resources.data?.items ?? []} />}
        {older.length > 0 && (
          <details className="older" data-testid="older-peerings">
            <summary>{fill(t.olderPeerings, { n: String(older.length) })}</summary>
            <PeeringTable items={older} resources={[]} />
          </details>
        )}
        <Freshness polled={peerings} />
      </Section>
      <ResourceForm
        api={api}
        deploymentId={id}
        resources={resources.data?.items ?? []}
        peerings={items}
        reload={resources.reload}
      />
    </>
  );
}

function PeeringTable({ items, resources }: { items: Peering[]; resources: Resource[] }) {
  const { t } = useI18n();
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t.connectionId}</th>
            <th scope="col">{t.customerVpc}</th>
            <th scope="col">{t.customerCidrs}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.resources}</th>
            <th scope="col">{t.created}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => {
            const bound = resources.filter((r) => r.peeringId === p.id);
            return (
              <tr key={p.id} data-peering={p.id}>
                <td data-label={t.connectionId}>
                  <a href={`#/p/${p.id}`} className="nowrap">
                    {peeringName(p)}
                  </a>
                </td>
                <td data-label={t.customerVpc}>
                  <code className="nowrap">{p.customerVpcId || '—'}</code>
                </td>
                <td data-label={t.customerCidrs}>
                  <span>
                    {p.customerCidrs.length
                      ? p.customerCidrs.map((c) => (
                          <code key={c} className="nowrap">
                            {c}{' '}
                          </code>
                        ))
                      : '—'}
                  </span>
                </td>
                <td data-label={t.status}>
                  <div>
                    <StatusBadge status={p.status} />
                    {p.status === 'awaiting-customer' && p.deadlineAt && <Countdown deadline={p.deadlineAt} />}
                    {p.reason && (
                      <div className="reason" data-code={p.reason.code}>
                        <Prose text={p.reason.message} />
                      </div>
                    )}
                  </div>
                </td>
                <td data-label={t.resources}>
                  <div>
                    {bound.length
                      ? bound.map((r) => (
                          <div key={r.id}>
                            {r.name} <code>{r.address}</code>
                          </div>
                        ))
                      : '—'}
                  </div>
                </td>
                <td data-label={t.created}>
                  <When iso={p.createdAt} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The deployments list, one deployment with its peerings, and the resources bound to them. */
import { useState } from 'react';
import { useI18n } from './i18n';
import type { Api, ApiError, Cloud, Deployment, Facts, Peering, Resource } from './api';
import { ErrorBox, Section, StatusBadge, go, usePoll } from './ui';

export function Deployments({ api }: { api: Api }) {
  const { t } = useI18n();
  const { data, error } = usePoll(() => api.call<{ items: Deployment[] }>('GET', '/v1/deployments'), 0, [api]);
  const clouds = usePoll(() => api.call<{ items: Cloud[] }>('GET', '/v1/clouds'), 0, [api]);
  const label = (name: string) => clouds.data?.items.find((c) => c.name === name)?.label ?? name;
  return (
    <Section title={t.deployments} id="deployments">
      <ErrorBox error={error} />
      {!data ? (
        <p>{t.loading}</p>
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
              </tr>
            </thead>
            <tbody>
              {data.items.map((d) => (
                <tr key={d.id}>
                  <td data-label={t.name}>
                    <span>
                      <a href={`#/d/${d.id}`}>{d.name}</a> <small className="muted">{d.id}</small>
                    </span>
                  </td>
                  <td data-label={t.plan}>{d.plan}</td>
                  <td data-label={t.cloud}>{label(d.provider)}</td>
                  <td data-label={t.region}>{d.region}</td>
                  <td data-label={t.cidr}>
                    <code>{d.vpcCidr}</code>
                  </td>
                </tr>
              ))}
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
  const facts = usePoll(() => api.call<Facts>('GET', `/v1/deployments/${id}/peering-facts`), 0, [api, id]);
  const peerings = usePoll(
    () => api.call<{ items: Peering[] }>('GET', `/v1/peerings?deploymentId=${id}&limit=200`),
    2000,
    [api, id],
  );
  const resources = usePoll(
    () => api.call<{ items: Resource[] }>('GET', `/v1/resources?deploymentId=${id}&limit=200`),
    4000,
    [api, id],
  );
  const d = deployment.data;
  const eligible = facts.data?.eligible ?? false;
  return (
    <>
      <p>
        <a href="#/">← {t.deployments}</a>
      </p>
      <ErrorBox error={deployment.error} />
      {d && (
        <Section title={d.name} id="deployment">
          <dl className="facts">
            <dt>{t.cloud}</dt>
            <dd>{facts.data?.cloud.label ?? d.provider}</dd>
            <dt>{t.region}</dt>
            <dd>{d.region}</dd>
            <dt>{t.vpc}</dt>
            <dd>
              <code>{d.vpcId}</code>
            </dd>
            <dt>{t.cidr}</dt>
            <dd>
              <code>{d.vpcCidr}</code>
            </dd>
            <dt>{t.plan}</dt>
            <dd>{d.plan}</dd>
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
            <p id="why-not" className="error" role="note">
              {t.cannotPeer}: {facts.data.refusal?.message}
            </p>
          )}
        </Section>
      )}
      <Section title={t.peerings} id="peerings">
        {peerings.data && peerings.data.items.length === 0 && <p>{t.noPeerings}</p>}
        {peerings.data && peerings.data.items.length > 0 && (
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
                {peerings.data.items.map((p) => {
                  const bound = (resources.data?.items ?? []).filter((r) => r.peeringId === p.id);
                  return (
                    <tr key={p.id} data-peering={p.id}>
                      <td data-label={t.connectionId}>
                        <a href={`#/p/${p.id}`}>{p.providerPeeringId ?? '…'}</a>
                      </td>
                      <td data-label={t.customerVpc}>
                        <code>{p.customerVpcId || '—'}</code>
                      </td>
                      <td data-label={t.customerCidrs}>
                        <span>
                          {p.customerCidrs.map((c) => (
                            <code key={c}>{c} </code>
                          ))}
                        </span>
                      </td>
                      <td data-label={t.status}>
                        <div>
                          <StatusBadge status={p.status} />
                          {p.reason && (
                            <div className="reason" data-code={p.reason.code}>
                              {p.reason.message}
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
                        <time dateTime={p.createdAt}>{new Date(p.createdAt).toLocaleString()}</time>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <ResourceForm api={api} deploymentId={id} resources={resources.data?.items ?? []} reload={resources.reload} />
    </>
  );
}

function ResourceForm({
  api,
  deploymentId,
  resources,
  reload,
}: {
  api: Api;
  deploymentId: string;
  resources: Resource[];
  reload: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <Section title={t.resources} id="resources">
      {resources.length === 0 && <p>{t.noResources}</p>}
      <ul className="plain">
        {resources.map((r) => (
          <li key={r.id}>
            {r.name} <code>{r.address}</code> → <a href={`#/p/${r.peeringId}`}>{r.peeringId}</a>{' '}
            <button
              type="button"
              onClick={async () => {
                await api.call('DELETE', `/v1/resources/${r.id}`);
                reload();
              }}
            >
              {t.remove}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api.call('POST', '/v1/resources', { deploymentId, name, address });
            setName('');
            setAddress('');
            setError(null);
            reload();
          } catch (err) {
            setError(err as ApiError);
          }
        }}
      >
        <label>
          {t.resourceName}
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          {t.resourceAddress}
          <input value={address} onChange={(e) => setAddress(e.target.value)} required placeholder="172.31.10.5:5432" />
        </label>
        <button type="submit">{t.bind}</button>
      </form>
      <ErrorBox error={error} />
    </Section>
  );
}

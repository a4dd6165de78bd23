/** The console's pages: deployments, a deployment, the per-cloud wizard, a peering. */
import { useEffect, useRef, useState } from 'react';
import { fill, useI18n } from './i18n';
import type { Api, ApiError, Deployment, Facts, Peering, PeeringDetail, PeeringEvent, Resource } from './api';
import { Countdown, CopyButton, ErrorBox, Pre, Section, StatusBadge, go, usePoll } from './ui';

const cloudNames: Record<string, string> = {
  aws: 'AWS',
  alibaba: 'Alibaba Cloud',
  huawei: 'Huawei Cloud',
  tencent: 'Tencent Cloud',
};

export function Deployments({ api }: { api: Api }) {
  const { t } = useI18n();
  const { data, error } = usePoll(() => api.call<{ items: Deployment[] }>('GET', '/v1/deployments'), 0, [api]);
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
                  <td data-label={t.cloud}>{cloudNames[d.provider] ?? d.provider}</td>
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
            <dd>{cloudNames[d.provider] ?? d.provider}</dd>
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
  reload(): void;
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

type FormValues = Record<string, string>;

/** Which form field a refusal concerns, so it is shown next to it; null: the whole form. */
function fieldOf(err: ApiError, form: Facts['form']): string | null {
  const keys = form.map((f) => f.key);
  const has = (k: string) => (keys.includes(k) ? k : null);
  const d = err.details as Record<string, string>;
  switch (err.code) {
    case 'FIELD_REQUIRED':
    case 'FIELD_NOT_APPLICABLE':
      return has(d.field);
    case 'ID_MALFORMED':
      return has(d.fieldKey);
    case 'PEERING_REQUESTER_MISMATCH':
      return has(d.field === 'account' ? 'customerAccountId' : 'customerVpcId');
    case 'CUSTOMER_VPC_ALREADY_PEERED':
      return has('customerVpcId');
    case 'PROVIDER_ID_TAKEN':
    case 'PEERING_NOT_FOUND':
    case 'PEERING_WRONG_TARGET':
    case 'PEERING_NOT_ACCEPTABLE':
    case 'PEERING_REJECTED':
    case 'PEERING_EXPIRED':
      return has('providerPeeringId') ?? has('customerVpcId');
    default:
      return err.code.startsWith('CIDR_') ? has('customerCidrs') : null;
  }
}

/** The server's CIDR checks that need no context, mirrored: IPv4 syntax, prefix ≤ 32, no host bits (with the fix). */
function cidrProblem(text: string, t: { invalidCidr: string; hostBits: string }): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return t.invalidCidr;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return t.invalidCidr;
  const ip = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const network = ip - (ip % size);
  if (network !== ip)
    return fill(t.hostBits, {
      suggestion: `${[24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.')}/${prefix}`,
    });
  return null;
}

export function Wizard({ api, deploymentId, demo }: { api: Api; deploymentId: string; demo: boolean }) {
  const { t, lang } = useI18n();
  const facts = usePoll(() => api.call<Facts>('GET', `/v1/deployments/${deploymentId}/peering-facts`), 0, [
    api,
    deploymentId,
  ]);
  const [step, setStep] = useState(1);
  const [values, setValues] = useState<FormValues>({});
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [peeringId, setPeeringId] = useState<string | null>(null);
  const [demoNote, setDemoNote] = useState<{ note: string; values: Record<string, string | string[]> } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [step]);
  const f = facts.data;
  if (!f)
    return (
      <>
        <ErrorBox error={facts.error} />
        <p>{t.loading}</p>
      </>
    );

  const localError = (key: string): string | null => {
    const field = f.form.find((x) => x.key === key)!;
    const v = (values[key] ?? '').trim();
    if (!v) return t.required;
    if (key === 'customerCidrs')
      return (
        v
          .split(/[\s,]+/)
          .filter(Boolean)
          .map((c) => cidrProblem(c, t))
          .find(Boolean) ?? null
      );
    return new RegExp(field.pattern).test(v) ? null : fill(t.invalidShape, { expected: field.expected });
  };
  const serverField = serverError ? fieldOf(serverError, f.form) : null;
  const valid = f.form.every((x) => !localError(x.key));

  const submit = async () => {
    setTouched(Object.fromEntries(f.form.map((x) => [x.key, true])));
    if (!valid) return;
    setBusy(true);
    setServerError(null);
    const body: Record<string, unknown> = { deploymentId };
    for (const x of f.form)
      body[x.key] = x.key === 'customerCidrs' ? values[x.key].split(/[\s,]+/).filter(Boolean) : values[x.key].trim();
    try {
      const p = await api.call<Peering>('POST', '/v1/peerings', body);
      setPeeringId(p.id);
      setStep(4);
    } catch (err) {
      setServerError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const demoLabel =
    { aws: t.demoCreateAws, alibaba: t.demoCreateAlibaba, huawei: t.demoCreateHuawei, tencent: t.demoCreateTencent }[
      f.provider
    ] ?? t.demoCreateAws;
  const stepTitles = [t.step1, t.step2, t.step3, t.step4];
  return (
    <>
      <p>
        <a href={`#/d/${deploymentId}`}>← {t.back}</a>
      </p>
      <section className="card wizard" aria-labelledby="wizard-title">
        <h2 id="wizard-title">
          {t.wizardTitle} · {cloudNames[f.provider]}
        </h2>
        <ol className="steps" aria-label={t.wizardTitle}>
          {stepTitles.map((s, i) => (
            <li
              key={s}
              aria-current={step === i + 1 ? 'step' : undefined}
              className={step === i + 1 ? 'current' : step > i + 1 ? 'done' : ''}
            >
              {s}
            </li>
          ))}
        </ol>
        <h3 tabIndex={-1} ref={heading}>
          {step}. {stepTitles[step - 1]}
        </h3>

        {step === 1 && (
          <dl className="facts">
            {f.facts.map((x) => (
              <div key={x.key} className="fact" data-fact={x.key}>
                <dt>{x.label}</dt>
                <dd>
                  <code>{x.value}</code> <CopyButton value={x.value} label={x.label} />
                </dd>
              </div>
            ))}
          </dl>
        )}

        {step === 2 && (
          <>
            <ol>
              {f.guidance.steps.map((s, i) => (
                <li key={i}>{s[lang]}</li>
              ))}
            </ol>
            <h4>{t.commands}</h4>
            <Pre text={f.guidance.commands} label={t.commands} />
            <details>
              <summary>{t.terraform}</summary>
              <Pre text={f.guidance.terraform} label={t.terraform} />
            </details>
            {demo && (
              <div className="demo" role="region" aria-label={t.demoPanel}>
                <h4>{t.demoPanel}</h4>
                <p className="muted">{t.demoPanelHelp}</p>
                <button
                  type="button"
                  data-demo="request"
                  onClick={async () => {
                    try {
                      setDemoNote(await api.call('POST', '/v1/demo/request', { deploymentId }));
                    } catch (err) {
                      setServerError(err as ApiError);
                    }
                  }}
                >
                  {demoLabel}
                </button>
                {demoNote && (
                  <div role="status">
                    <p>
                      {t.demoDone} <code>{demoNote.note}</code>
                    </p>
                    <button
                      type="button"
                      data-demo="fill"
                      onClick={() => {
                        setValues(
                          Object.fromEntries(
                            Object.entries(demoNote.values).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
                          ),
                        );
                        setStep(3);
                      }}
                    >
                      {t.demoFill}
                    </button>
                  </div>
                )}
              </div>
            )}
          </>
        )}

        {step === 3 && (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            {f.form.map((x) => {
              const local = touched[x.key] ? localError(x.key) : null;
              const remote = serverField === x.key ? serverError : null;
              const describedBy = local || remote ? `${x.key}-error` : `${x.key}-hint`;
              return (
                <div key={x.key} className="field">
                  <label htmlFor={x.key}>{x.label}</label>
                  <input
                    id={x.key}
                    name={x.key}
                    value={values[x.key] ?? ''}
                    aria-invalid={!!(local || remote)}
                    aria-describedby={describedBy}
                    onChange={(e) => {
                      setValues({ ...values, [x.key]: e.target.value });
                      if (remote) setServerError(null);
                    }}
                    onBlur={() => setTouched({ ...touched, [x.key]: true })}
                    autoComplete="off"
                    spellCheck={false}
                  />
                  <small id={`${x.key}-hint`} className="muted">
                    {x.expected}
                  </small>
                  {(local || remote) && (
                    <p id={`${x.key}-error`} className="error field-error" role="alert" data-code={remote?.code}>
                      {local ?? `${remote!.message}`}
                    </p>
                  )}
                </div>
              );
            })}
            {serverError && !serverField && <ErrorBox error={serverError} />}
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t.submitting : t.submit}
            </button>
          </form>
        )}

        {step === 4 && peeringId && <Outcome api={api} peeringId={peeringId} demo={demo} />}

        <div className="nav">
          {step > 1 && step < 4 && (
            <button type="button" onClick={() => setStep(step - 1)}>
              {t.previous}
            </button>
          )}
          {step < 3 && (
            <button type="button" className="primary" onClick={() => setStep(step + 1)}>
              {t.next}
            </button>
          )}
        </div>
      </section>
    </>
  );
}

/** Step 4: the customer's route and security-group rule, and the live status. */
function Outcome({ api, peeringId, demo }: { api: Api; peeringId: string; demo: boolean }) {
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
        {p.provider === 'tencent' ? (
          <p className="muted">{fill(t.ccnLearns, { cidr: p.customerSide.routeDestination, ccn: hop })}</p>
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

function DemoActions({ api, p }: { api: Api; p: Peering }) {
  const { t } = useI18n();
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (action: 'approve' | 'route') => {
    try {
      setNote((await api.call<{ note: string }>('POST', `/v1/demo/${action}`, { peeringId: p.id })).note);
      setError(null);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="demo" role="region" aria-label={t.demoPanel}>
      <h4>{t.demoPanel}</h4>
      {p.provider === 'tencent' && p.status === 'awaiting-customer' && (
        <button type="button" data-demo="approve" onClick={() => void act('approve')}>
          {t.demoApprove}
        </button>
      )}
      {p.status === 'running' && (
        <button type="button" data-demo="route" onClick={() => void act('route')}>
          {t.demoAddRoute}
        </button>
      )}
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
  const deletableStatus = p.status === 'running' || p.status === 'failed';
  const canDelete = deletableStatus && bound.length === 0;
  const retryable =
    p.status === 'failed' && (p.provider === 'tencent' || (p.provider === 'alibaba' && !p.providerPeeringId));
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
            disabled={!['pending', 'awaiting-customer', 'running', 'deleting'].includes(p.status)}
          >
            {t.resync}
          </button>
          {retryable && (
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
            {t.deletePeering}
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
            <p id="confirm-text">{t.confirmDelete}</p>
            <button
              type="button"
              className="danger"
              ref={confirmRef}
              onClick={() => {
                setConfirming(false);
                void act('DELETE', `/v1/peerings/${id}`);
              }}
            >
              {t.deletePeering}
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
        {p.provider === 'huawei' && ['pending', 'running'].includes(p.status) && (
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void act('PATCH', `/v1/peerings/${id}`, { customerCidrs: cidrs.split(/[\s,]+/).filter(Boolean) });
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

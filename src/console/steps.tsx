/**
 * The wizard's steps, each on its own: the facts and the rules (1), what to do in the customer's cloud (2), help
 * after a refusal (3).
 */
import { useState } from 'react';
import { fill, useI18n, type Lang } from './i18n';
import type { Api, ApiError, CidrCheckResult, DemoAction, DemoResult, Facts, PeeringDetail } from './api';
import { CopyButton, ErrorBox, Pre, Prose, usePoll } from './ui';

export type FormValues = Record<string, string>;

/** A peering's values as the form's fields (edit and resubmit). */
export function valuesOf(p: PeeringDetail, keys: string[]): FormValues {
  const all: FormValues = {
    providerPeeringId: p.providerPeeringId ?? '',
    customerAccountId: p.customerAccountId,
    customerVpcId: p.customerVpcId,
    customerCidrs: p.customerCidrs.join(', '),
  };
  return Object.fromEntries(keys.filter((k) => all[k]).map((k) => [k, all[k] ?? '']));
}

/** The deployment's facts with copy buttons, and a link into the cloud's console for the deployment's region. */
export function FactList({ facts: f, compact = false }: { facts: Facts; compact?: boolean }) {
  const { t } = useI18n();
  const link = f.consoleUrl;
  return (
    <>
      <dl className={compact ? 'facts compact' : 'facts'}>
        {f.facts.map((x) => (
          <div key={x.key} className="fact" data-fact={compact ? undefined : x.key}>
            <dt>{x.label}</dt>
            <dd>
              <code>{x.value}</code> <CopyButton value={x.value} label={x.label} />
            </dd>
          </div>
        ))}
      </dl>
      {link && (
        <p>
          <a href={link} target="_blank" rel="noreferrer" data-testid="console-link">
            {fill(t.openConsole, { cloud: f.cloud.label, region: f.rules.region })} ↗
          </a>
        </p>
      )}
    </>
  );
}

/** The rules a peering must meet, before the customer creates anything; an optional check of its VPC CIDR. */
export function Rules({ facts: f, api }: { facts: Facts; api: Api }) {
  const { t, lang } = useI18n();
  const [cidrs, setCidrs] = useState('');
  const [result, setResult] = useState<{
    ok: boolean;
    cidrs: string[];
    messages: Partial<Record<Lang, string>>;
  } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const r = f.rules;
  const others = r.livePeerings.filter((p) => p.cidrs.length > 0);
  return (
    <div className="rules" data-testid="rules">
      <h3>{t.rulesTitle}</h3>
      <ul>
        <li>{fill(t.ruleRegion, { region: r.region })}</li>
        <li>{fill(t.ruleReserved, { ranges: r.reservedRanges.join(', ') })}</li>
        <li>{fill(t.ruleDeployment, { cidr: r.deploymentCidr })}</li>
        {others.length > 0 && (
          <li>
            {t.ruleSiblings}{' '}
            {others.map((p) => (
              <span key={p.id} className="sibling">
                <code>{p.cidrs.join(', ')}</code> (<a href={`#/p/${p.id}`}>{p.connectionId ?? p.customerVpcId}</a>){' '}
              </span>
            ))}
          </li>
        )}
        {f.cloud.capabilities.oneCustomerNetwork && <li>{fill(t.ruleOneNetwork, { cloud: f.cloud.label })}</li>}
        <li>{t.ruleResources}</li>
      </ul>
      <form
        className="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const res = await api.call<CidrCheckResult>('POST', `/v1/deployments/${f.deploymentId}/cidr-check`, {
              cidrs,
            });
            setResult({ ok: res.ok, cidrs: res.cidrs, messages: res.problem?.messages ?? {} });
            setError(null);
          } catch (err) {
            setError(err as ApiError);
            setResult(null);
          }
        }}
      >
        <label>
          {t.checkCidrLabel}
          <input
            value={cidrs}
            onChange={(e) => setCidrs(e.target.value)}
            placeholder="192.168.0.0/16"
            data-testid="cidr-check"
          />
        </label>
        <button type="submit">{t.checkCidr}</button>
      </form>
      <div aria-live="polite">
        {result && (
          <p className={result.ok ? 'ok' : 'error'} data-testid="cidr-check-result" data-ok={String(result.ok)}>
            {result.ok ? fill(t.cidrOk, { cidrs: result.cidrs.join(', ') }) : (result.messages[lang] ?? '')}
          </p>
        )}
      </div>
      <ErrorBox error={error} />
    </div>
  );
}

/** After a refusal at step 3: the likely cause where the cloud hides it, a link to the peering meant, the clean-up. */
export function RefusalHelp({ error, facts: f }: { error: ApiError; facts: Facts }) {
  const { t } = useI18n();
  const other = typeof error.details.peeringId === 'string' ? error.details.peeringId : '';
  return (
    <div className="refusal-help" data-testid="refusal-help">
      {other.startsWith('pr_') && (
        <p>
          <a href={`#/p/${other}`}>{t.openPeeringLink} →</a>
        </p>
      )}
      {f.cloud.capabilities.opens === 'customer' && error.status >= 400 && error.status < 500 && (
        <p className="muted" data-testid="cleanup-after-refusal">
          {t.cleanupAfterRefusal}
        </p>
      )}
    </div>
  );
}

/** Step 2: the steps, commands and Terraform for the customer's cloud; in the demo, the customer's side played here. */
export function InYourCloud(props: {
  api: Api;
  facts: Facts;
  demo: boolean;
  copyable: string[];
  onDemoValues: (v: FormValues) => void;
}) {
  const { t, lang } = useI18n();
  const f = props.facts;
  return (
    <>
      <ol className="guidance">
        {f.guidance.steps.map((s, i) => (
          <li key={i}>
            <Prose text={s[lang]} copyable={props.copyable} />
          </li>
        ))}
      </ol>
      <h3>{t.commands}</h3>
      <Pre text={f.guidance.commands} label={t.commands} />
      <details>
        <summary>{t.terraform}</summary>
        <Pre text={f.guidance.terraform} label={t.terraform} />
      </details>
      {props.demo && <DemoBeforeSubmit api={props.api} deploymentId={f.deploymentId} onValues={props.onDemoValues} />}
    </>
  );
}

/** The demo's customer-cloud panel before the submit: create the request (or network) in the simulated cloud. */
export function DemoBeforeSubmit(props: { api: Api; deploymentId: string; onValues: (v: FormValues) => void }) {
  const { t } = useI18n();
  const { api, deploymentId } = props;
  const actions = usePoll(
    () => api.call<{ items: DemoAction[] }>('GET', `/v1/demo/deployments/${deploymentId}/actions`),
    0,
    [api, deploymentId],
  );
  const [result, setResult] = useState<DemoResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const before = (actions.data?.items ?? []).filter((a) => a.stage === 'before-submit');
  return (
    <div className="demo" role="region" aria-label={t.demoPanel}>
      <h3>{t.demoPanel}</h3>
      <p className="muted">{t.demoPanelHelp}</p>
      {before.map((a) => (
        <button
          key={a.key}
          type="button"
          data-demo={a.key}
          onClick={async () => {
            try {
              setResult(
                await api.call<DemoResult>('POST', `/v1/demo/deployments/${deploymentId}/actions/${a.key}`, {}),
              );
              setError(null);
            } catch (err) {
              setError(err as ApiError);
            }
          }}
        >
          {a.label}
        </button>
      ))}
      {result && (
        <div role="status">
          <p>
            {t.demoDone} <code>{result.note}</code>
          </p>
          <button
            type="button"
            data-demo="fill"
            onClick={() =>
              props.onValues(
                Object.fromEntries(
                  Object.entries(result.values).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
                ),
              )
            }
          >
            {t.demoFill}
          </button>
        </div>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

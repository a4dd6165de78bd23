/**
 * The wizard for a new peering, the same four steps on every cloud, filled from the deployment's facts: (1) the facts
 * with copy buttons, (2) what to do in the customer's cloud, (3) the cloud's form, checked as the customer types and
 * then by the server, (4) the customer's route and security-group rule, and the live status.
 */
import { useEffect, useRef, useState } from 'react';
import { fill, useI18n } from './i18n';
import type { Api, ApiError, DemoAction, DemoResult, Facts, Peering } from './api';
import { cidrProblem, fieldOf, splitList } from './form';
import { Outcome } from './peering';
import { CopyButton, ErrorBox, Pre, usePoll } from './ui';

type FormValues = Record<string, string>;

export function Wizard({ api, deploymentId, demo }: { api: Api; deploymentId: string; demo: boolean }) {
  const { t } = useI18n();
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
    const field = f.form.find((x) => x.key === key);
    const v = (values[key] ?? '').trim();
    if (!field) return null;
    if (!v) return t.required;
    if (field.list)
      return (
        splitList(v)
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
    for (const x of f.form) body[x.key] = x.list ? splitList(values[x.key] ?? '') : (values[x.key] ?? '').trim();
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

  const stepTitles = [t.step1, t.step2, t.step3, t.step4];
  return (
    <>
      <p>
        <a href={`#/d/${deploymentId}`}>← {t.back}</a>
      </p>
      <section className="card wizard" aria-labelledby="wizard-title">
        <h2 id="wizard-title">
          {t.wizardTitle} · {f.cloud.label}
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
          <InYourCloud
            api={api}
            facts={f}
            demo={demo}
            onDemoValues={(v) => {
              setValues(v);
              setStep(3);
            }}
          />
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
                    {x.hint ? `${x.hint} · ` : ''}
                    {x.expected}
                  </small>
                  {(local || remote) && (
                    <p id={`${x.key}-error`} className="error field-error" role="alert" data-code={remote?.code}>
                      {local ?? remote?.message}
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

/** Step 2: the steps, commands and Terraform for the customer's cloud; in the demo, the customer's side played here. */
function InYourCloud(props: { api: Api; facts: Facts; demo: boolean; onDemoValues: (v: FormValues) => void }) {
  const { t, lang } = useI18n();
  const f = props.facts;
  return (
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
      {props.demo && <DemoBeforeSubmit api={props.api} deploymentId={f.deploymentId} onValues={props.onDemoValues} />}
    </>
  );
}

/** The demo's customer-cloud panel before the submit: create the request (or network) in the simulated cloud. */
function DemoBeforeSubmit(props: { api: Api; deploymentId: string; onValues: (v: FormValues) => void }) {
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
      <h4>{t.demoPanel}</h4>
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

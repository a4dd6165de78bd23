/**
 * The wizard for a new peering, the same four steps on every cloud, filled from the deployment's facts: (1) the facts
 * and the rules a peering must meet, before the customer acts in its cloud, (2) what to do in the customer's cloud,
 * with the facts kept beside it, (3) the cloud's form, forgiving what is unambiguous and checked as the customer
 * types, then by the server, (4) the customer's route and security-group rule, and the live status — with a way back
 * (cancel, or edit and resubmit) while it is still in flight or after it failed.
 */
import { useEffect, useRef, useState } from 'react';
import { fill, useI18n } from './i18n';
import type { Api, ApiError, Facts, FormField, PeeringDetail } from './api';
import { cidrProblem, fieldOf, readField, splitList } from './form';
import { Outcome } from './outcome';
import { FactList, InYourCloud, RefusalHelp, Rules, valuesOf, type FormValues } from './steps';
import { ErrorBox, PageHeading, Prose, usePageTitle, usePoll } from './ui';

export function Wizard(props: { api: Api; deploymentId: string; demo: boolean; from?: string }) {
  const { api, deploymentId, demo } = props;
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
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // the page heading takes focus on arrival; a step change moves it to the step's heading
    if (first.current) first.current = false;
    else heading.current?.focus();
  }, [step]);
  // "edit and resubmit" from a peering's page: its values, back in the form
  useEffect(() => {
    if (!props.from || !facts.data) return;
    const keys = facts.data.form.map((x) => x.key);
    api.call<PeeringDetail>('GET', `/v1/peerings/${props.from}`).then(
      (p) => {
        setValues(valuesOf(p, keys));
        setStep(3);
      },
      (err: ApiError) => setServerError(err),
    );
  }, [props.from, facts.data, api]);
  usePageTitle(facts.data ? `${t.wizardTitle} · ${facts.data.cloud.label}` : t.wizardTitle);
  const f = facts.data;
  if (!f)
    return (
      <>
        <PageHeading>{t.wizardTitle}</PageHeading>
        <ErrorBox error={facts.error} />
        {!facts.error && <p>{t.loading}</p>}
      </>
    );
  const back = (
    <p>
      <a href={`#/d/${deploymentId}`}>← {t.back}</a>
    </p>
  );
  if (!f.eligible && step < 4)
    return (
      <>
        {back}
        <section className="card" aria-labelledby="wizard-title">
          <PageHeading id="wizard-title">
            {t.wizardTitle} · {f.cloud.label}
          </PageHeading>
          <p className="error" role="alert" data-testid="wizard-blocked" data-code={f.refusal?.code}>
            {t.wizardBlocked} <Prose text={f.refusal?.message ?? ''} />
          </p>
          {f.refusal?.code === 'DEPLOYMENT_JOINED_ELSEWHERE' && (
            <p className="muted">{fill(t.ruleOneNetwork, { cloud: f.cloud.label })}</p>
          )}
        </section>
      </>
    );

  const localError = (field: FormField): string | null => {
    const raw = values[field.key] ?? '';
    if (!raw.trim()) return t.required;
    if (field.list)
      return (
        splitList(raw)
          .map((c) => cidrProblem(c, t))
          .find(Boolean) ?? null
      );
    return readField(field, raw, t, lang).problem;
  };
  const serverField = serverError ? fieldOf(serverError, f.form) : null;
  const valid = f.form.every((x) => !localError(x));
  const copyable = [...f.facts.map((x) => x.value), ...f.rules.reservedRanges];

  const submit = async () => {
    setTouched(Object.fromEntries(f.form.map((x) => [x.key, true])));
    if (!valid) return;
    setBusy(true);
    setServerError(null);
    const body: Record<string, unknown> = { deploymentId };
    for (const x of f.form)
      body[x.key] = x.list ? splitList(values[x.key] ?? '') : readField(x, values[x.key] ?? '', t, lang).value;
    try {
      const p = await api.call<PeeringDetail>('POST', '/v1/peerings', body);
      setPeeringId(p.id);
      setStep(4);
    } catch (err) {
      setServerError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  /** Back to the form with the values kept; what is still in flight is cancelled, a failed one removed. */
  const editAndResubmit = async (p: PeeringDetail) => {
    if (p.actions.delete) {
      try {
        await api.call('DELETE', `/v1/peerings/${p.id}`);
      } catch (err) {
        setServerError(err as ApiError);
      }
    }
    setPeeringId(null);
    setStep(3);
  };

  const stepTitles = [t.step1, t.step2, t.step3, t.step4];
  const showAside = step === 2 || step === 3;
  return (
    <>
      {back}
      <section className="card wizard" aria-labelledby="wizard-title">
        <PageHeading id="wizard-title">
          {t.wizardTitle} · {f.cloud.label}
        </PageHeading>
        <ol className="steps" aria-label={t.wizardTitle}>
          {stepTitles.map((s, i) => (
            <li
              key={s}
              aria-current={step === i + 1 ? 'step' : undefined}
              className={step === i + 1 ? 'current' : step > i + 1 ? 'done' : ''}
            >
              <span className="step-no">{i + 1}.</span> {s}
            </li>
          ))}
        </ol>
        <div className={showAside ? 'with-aside' : undefined}>
          <div>
            <h2 tabIndex={-1} ref={heading} className="step-title">
              {step}. {stepTitles[step - 1]}
            </h2>

            {step === 1 && (
              <>
                <FactList facts={f} />
                <Rules facts={f} api={api} />
              </>
            )}

            {step === 2 && (
              <InYourCloud
                api={api}
                facts={f}
                demo={demo}
                copyable={copyable}
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
                  const local = touched[x.key] ? localError(x) : null;
                  const remote = serverField === x.key ? serverError : null;
                  const read = x.list ? null : readField(x, values[x.key] ?? '', t, lang);
                  const readAs =
                    read && !read.problem && read.value !== (values[x.key] ?? '').trim() ? read.value : null;
                  const describedBy = [`${x.key}-hint`, local || remote ? `${x.key}-error` : ''].join(' ').trim();
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
                        {readAs && (
                          <span className="read-as" data-testid={`${x.key}-read-as`}>
                            {' '}
                            · {fill(t.readAs, { value: readAs })}
                          </span>
                        )}
                      </small>
                      {(local || remote) && (
                        <div id={`${x.key}-error`} className="error field-error" data-code={remote?.code}>
                          <p role="alert">{local ?? <Prose text={remote?.in(lang) ?? ''} copyable={copyable} />}</p>
                          {remote && !local && <RefusalHelp error={remote} facts={f} />}
                        </div>
                      )}
                    </div>
                  );
                })}
                {serverError && !serverField && (
                  <div>
                    <ErrorBox error={serverError} />
                    <RefusalHelp error={serverError} facts={f} />
                  </div>
                )}
                <div className="nav">
                  <button type="button" onClick={() => setStep(2)}>
                    {t.previous}
                  </button>
                  <button type="submit" className="primary" disabled={busy}>
                    {busy ? t.submitting : t.submit}
                  </button>
                </div>
              </form>
            )}

            {step === 4 && peeringId && (
              <Outcome
                api={api}
                peeringId={peeringId}
                demo={demo}
                actions={(p) =>
                  p.status === 'pending' || p.status === 'awaiting-customer' || p.status === 'failed' ? (
                    <div className="actions" data-testid="way-back">
                      <button type="button" onClick={() => void editAndResubmit(p)}>
                        {t.editResubmit}
                      </button>
                      {p.status !== 'failed' && p.actions.delete && (
                        <button
                          type="button"
                          className="danger"
                          onClick={() => void api.call('DELETE', `/v1/peerings/${p.id}`).catch(setServerError)}
                        >
                          {t.cancelRequest}
                        </button>
                      )}
                      <p className="muted">{t.editResubmitHelp}</p>
                    </div>
                  ) : null
                }
              />
            )}

            {step < 3 && (
              <div className="nav">
                {step > 1 && (
                  <button type="button" onClick={() => setStep(step - 1)}>
                    {t.previous}
                  </button>
                )}
                <button type="button" className="primary" onClick={() => setStep(step + 1)}>
                  {t.next}
                </button>
              </div>
            )}
          </div>
          {showAside && (
            <aside className="aside" aria-labelledby="aside-title">
              <h2 id="aside-title" className="aside-title">
                {t.keepFacts}
              </h2>
              <FactList facts={f} compact />
            </aside>
          )}
        </div>
      </section>
    </>
  );
}

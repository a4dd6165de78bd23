/** The Peerlink console: sign in with an organization API key, then deployments, wizards and peerings. */
import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Api, ApiError } from './api';
import { dictionaries, I18n, initialLang, type Lang } from './i18n';
import { DeploymentPage, Deployments } from './deployments';
import { PeeringPage } from './peering';
import { Wizard } from './wizard';
import { ErrorBox, useHashRoute } from './ui';
import './styles.css';

function SignIn({ onKey, lang }: { onKey: (k: string) => void; lang: Lang }) {
  const t = dictionaries[lang];
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <section className="card signin" aria-labelledby="signin-title">
      <h2 id="signin-title">{t.signInTitle}</h2>
      <p>{t.signInHelp}</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await new Api(key.trim(), lang).call('GET', '/v1/deployments');
            onKey(key.trim());
          } catch (err) {
            const e = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err), {});
            setError(new ApiError(e.status, e.code, `${t.badKey} ${e.message}`, e.details));
          }
        }}
      >
        <label htmlFor="api-key">{t.apiKey}</label>
        <input
          id="api-key"
          type="password"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          autoComplete="off"
          required
        />
        <button type="submit" className="primary">
          {t.signIn}
        </button>
      </form>
      <ErrorBox error={error} />
      <p className="muted">{t.demoKeyHint}</p>
    </section>
  );
}

function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [key, setKey] = useState<string | null>(() => sessionStorage.getItem('peerlink.key'));
  const [demo, setDemo] = useState(false);
  const route = useHashRoute();
  const t = dictionaries[lang];
  const api = useMemo(() => (key ? new Api(key, lang) : null), [key, lang]);
  const setLang = (l: Lang) => {
    localStorage.setItem('peerlink.lang', l);
    setLangState(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${t.appName} — ${t.tagline}`;
  }, [lang, t]);
  useEffect(() => {
    if (!api) return;
    api.call<{ enabled: boolean }>('GET', '/v1/demo').then(
      (r) => setDemo(r.enabled),
      () => setDemo(false),
    );
  }, [api]);
  const signOut = () => {
    sessionStorage.removeItem('peerlink.key');
    setKey(null);
  };
  let page;
  if (!api)
    page = (
      <SignIn
        lang={lang}
        onKey={(k) => {
          sessionStorage.setItem('peerlink.key', k);
          setKey(k);
        }}
      />
    );
  else if (route[0] === 'd' && route[2] === 'new') page = <Wizard api={api} deploymentId={route[1]} demo={demo} />;
  else if (route[0] === 'd') page = <DeploymentPage api={api} id={route[1]} />;
  else if (route[0] === 'p') page = <PeeringPage api={api} id={route[1]} demo={demo} />;
  else page = <Deployments api={api} />;
  return (
    <I18n.Provider value={{ lang, t, setLang }}>
      <header>
        <a href="#/" className="brand">
          {t.appName}
        </a>
        <span className="muted tagline">{t.tagline}</span>
        <label className="lang">
          <span className="sr-only">{t.language}</span>
          <select aria-label={t.language} value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </label>
        {api && (
          <button type="button" onClick={signOut}>
            {t.signOut}
          </button>
        )}
      </header>
      <main>{page}</main>
    </I18n.Provider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

/** The Peerlink console: sign in with an organization API key, then deployments, wizards and peerings. */
import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Api, ApiError } from './api';
import { dictionaries, I18n, initialLang, type Lang } from './i18n';
import { DeploymentPage, Deployments } from './deployments';
import { PeeringPage } from './peering';
import { Wizard } from './wizard';
import { ErrorBox, PageHeading, useHashRoute, usePageTitle } from './ui';
import './styles.css';

function SignIn({ onKey, lang, reason }: { onKey: (k: string) => void; lang: Lang; reason: string | null }) {
  const t = dictionaries[lang];
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  usePageTitle(t.signInTitle);
  return (
    <section className="card signin" aria-labelledby="signin-title">
      <PageHeading id="signin-title">{t.signInTitle}</PageHeading>
      {reason && (
        <p className="banner" role="alert" data-testid="signed-out">
          {reason}
        </p>
      )}
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
  /** why the user is on the sign-in page again (a key the server no longer accepts) */
  const [signedOut, setSignedOut] = useState<string | null>(null);
  const route = useHashRoute();
  const t = dictionaries[lang];
  const api = useMemo(
    () =>
      key
        ? new Api(key, lang, (e) => {
            sessionStorage.removeItem('peerlink.key');
            setSignedOut(`${dictionaries[lang].keyRejected} ${e.message}`);
            setKey(null);
          })
        : null,
    [key, lang],
  );
  const setLang = (l: Lang) => {
    localStorage.setItem('peerlink.lang', l);
    setLangState(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
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
        reason={signedOut}
        onKey={(k) => {
          sessionStorage.setItem('peerlink.key', k);
          setSignedOut(null);
          setKey(k);
        }}
      />
    );
  else if (route[0] === 'd' && route[1] && route[2] === 'new')
    page = <Wizard key={route.join('/')} api={api} deploymentId={route[1]} demo={demo} from={route[3]} />;
  else if (route[0] === 'd' && route[1]) page = <DeploymentPage key={route.join('/')} api={api} id={route[1]} />;
  else if (route[0] === 'p' && route[1])
    page = <PeeringPage key={route.join('/')} api={api} id={route[1]} demo={demo} />;
  else page = <Deployments api={api} />;
  return (
    <I18n.Provider value={{ lang, t, setLang }}>
      <header>
        <a href="#/" className="brand" aria-label={`${t.appName} — ${t.deployments}`}>
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
      <main id="main">{page}</main>
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

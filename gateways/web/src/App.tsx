// The terminal's shell: sign-in when the gateway asks for a token, the connection's state and the
// data's age, the theme, and the views.
import {
  AllCommunityModule,
  ColumnAutoSizeModule,
  colorSchemeDark,
  colorSchemeLight,
  ModuleRegistry,
  themeQuartz,
} from 'ag-grid-community';
import { useEffect, useMemo, useState } from 'react';
import { alertFeed, Alerts, useAlertsRoute } from './alerts.js';
import { Book, type PortfolioInfo } from './book.js';
import { ApiError, getJson } from './api.js';
import { age } from './format.js';
import { LiveStream } from './live.js';
import { authMode, beginSignIn, completeSignIn, isReturning, type AuthMode } from './oidc.js';
import { Portfolio } from './portfolio/index.js';
import { pnlHistory } from './portfolio/pnl-history.js';

// Every Community module but column auto-size: it queues a timer for each row whose data changes,
// 25,000 tasks a second on a live 10k-position book; columns are sized by the views and by hand.
ModuleRegistry.registerModules((AllCommunityModule.dependsOn ?? []).filter((m) => m !== ColumnAutoSizeModule));

const TOKEN_KEY = 'riskline.token';
const THEME_KEY = 'riskline.theme';
const PALETTE_KEY = 'riskline.palette';

type Load = { state: 'loading' } | { state: 'signin'; why: string } | { state: 'ready'; portfolios: PortfolioInfo[] };

async function loadPortfolios(token: string | null): Promise<Load> {
  try {
    return { state: 'ready', portfolios: await getJson<PortfolioInfo[]>('/v1/portfolios', token) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return { state: 'signin', why: err.message };
    throw err;
  }
}

function SignIn(props: { why: string; onToken: (t: string) => void }) {
  const [token, setToken] = useState('');
  // How this gateway signs people in: an OpenID provider's button where it has one.
  const [auth, setAuth] = useState<AuthMode | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  useEffect(() => {
    authMode().then(setAuth, () => setAuth(null));
  }, []);
  return (
    <form
      className="signin"
      onSubmit={(e) => {
        e.preventDefault();
        props.onToken(token.trim());
      }}
    >
      <h1>Riskline</h1>
      <p className="why">{props.why}</p>
      {auth?.mode === 'oidc' && (
        <div className="oidc">
          <button
            type="button"
            className="oidc-signin"
            disabled={leaving}
            onClick={() => {
              setLeaving(true);
              setFailed(null);
              beginSignIn(auth).catch((err: Error) => {
                setLeaving(false);
                setFailed(err.message);
              });
            }}
          >
            Sign in with {auth.issuer}
          </button>
          {failed && <p className="oidc-error">{failed}</p>}
          <p className="or">or paste a token</p>
        </div>
      )}
      <label>
        Bearer token
        <textarea value={token} onChange={(e) => setToken(e.target.value)} rows={4} spellCheck={false} />
      </label>
      <button type="submit" disabled={token.trim() === ''}>
        Sign in
      </button>
    </form>
  );
}

function Status(props: { live: LiveStream }) {
  const { live } = props;
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 500);
    const off = live.listen(() => tick((n) => n + 1));
    return () => {
      clearInterval(timer);
      off();
    };
  }, [live]);
  let newest = -Infinity;
  for (const c of live.channels.values()) newest = Math.max(newest, c.asOf);
  return (
    <span className={`status ${live.state}`} data-state={live.state} data-encoding={live.encoding}>
      <span className="dot" /> {live.state}
      {live.reason && live.state !== 'live' ? ` — ${live.reason}` : ''} · {live.encoding} · data{' '}
      {age(Date.now() - newest)} old
    </span>
  );
}

/** The view named by the location's hash: `#/` the Book, `#/portfolio/<id>` one portfolio. */
function useRoute(): string | null {
  const read = () => /^#\/portfolio\/(.+)$/.exec(location.hash)?.[1] ?? null;
  const [portfolio, setPortfolio] = useState(read);
  useEffect(() => {
    const on = () => setPortfolio(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return portfolio === null ? null : decodeURIComponent(portfolio);
}

export function App() {
  const portfolio = useRoute();
  const onAlerts = useAlertsRoute();
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  // Back from an OpenID provider (`?code=&state=` or `?error=`): its token first, then the portfolios.
  const [returning, setReturning] = useState(isReturning);
  // Why that sign-in failed, shown on the sign-in page until a token is given.
  const [notice, setNotice] = useState<string | null>(null);
  const [dark, setDark] = useState(() => localStorage.getItem(THEME_KEY) !== 'light');
  // Gains and losses in blue and orange, told apart without red and green.
  const [safe, setSafe] = useState(() => localStorage.getItem(PALETTE_KEY) === 'colour-blind');
  useEffect(() => {
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    localStorage.setItem(THEME_KEY, dark ? 'dark' : 'light');
  }, [dark]);
  useEffect(() => {
    document.documentElement.dataset.palette = safe ? 'colour-blind' : 'standard';
    localStorage.setItem(PALETTE_KEY, safe ? 'colour-blind' : 'standard');
  }, [safe]);
  useEffect(() => {
    if (!returning) return;
    completeSignIn().then(
      (t) => {
        sessionStorage.setItem(TOKEN_KEY, t);
        setToken(t);
        setReturning(false);
      },
      (err: Error) => {
        setNotice(err.message);
        setReturning(false);
      },
    );
  }, [returning]);
  useEffect(() => {
    if (returning) return;
    loadPortfolios(token).then(
      (l) => setLoad(l.state === 'signin' && notice !== null ? { state: 'signin', why: notice } : l),
      (err: Error) => setLoad({ state: 'signin', why: err.message }),
    );
  }, [token, returning, notice]);
  const live = useMemo(
    () =>
      load.state === 'ready'
        ? new LiveStream(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/stream`, token)
        : null,
    [load, token],
  );
  useEffect(() => () => live?.close(), [live]);
  // P&L against VaR is recorded from the start of the session, whichever view is shown.
  useEffect(() => void (live && pnlHistory(live)), [live]);
  // A token that expires or is revoked closes the stream (1008): back to sign-in, saying why.
  useEffect(
    () =>
      live?.listen(() => {
        if (live.state !== 'signed-out') return;
        sessionStorage.removeItem(TOKEN_KEY);
        setLoad({
          state: 'signin',
          why: `Signed out: ${live.reason || 'the token is no longer valid'}. Sign in again.`,
        });
      }),
    [live],
  );
  // Alerts are kept from the start, whichever view is shown.
  useEffect(() => void (live && alertFeed(live, token)), [live, token]);
  // Dense, as a desk reads a grid: rows of 26 px.
  const theme = useMemo(
    () =>
      themeQuartz
        .withPart(dark ? colorSchemeDark : colorSchemeLight)
        .withParams({ rowHeight: 26, headerHeight: 30, fontSize: 13, spacing: 4 }),
    [dark],
  );

  if (load.state === 'loading') return <p className="loading">Loading…</p>;
  if (load.state === 'signin')
    return (
      <SignIn
        why={load.why}
        onToken={(t) => {
          sessionStorage.setItem(TOKEN_KEY, t);
          setNotice(null);
          setToken(t);
        }}
      />
    );
  return (
    <div className="app">
      <header>
        <strong>Riskline</strong>
        <nav>
          <a href="#/" className={portfolio === null && !onAlerts ? 'active' : ''}>
            Book
          </a>
          <a href="#/alerts" className={onAlerts ? 'active' : ''}>
            Alerts
          </a>
        </nav>
        {live && <Status live={live} />}
        <button onClick={() => setSafe(!safe)} aria-pressed={safe} title="Gains blue, losses orange">
          Colour-blind
        </button>
        <button onClick={() => setDark(!dark)}>{dark ? 'Light' : 'Dark'}</button>
      </header>
      <main>
        {live &&
          (onAlerts ? (
            <Alerts portfolios={load.portfolios} live={live} theme={theme} token={token} />
          ) : portfolio !== null && load.portfolios.some((p) => p.id === portfolio) ? (
            <Portfolio key={portfolio} id={portfolio} live={live} theme={theme} token={token} />
          ) : (
            <Book portfolios={load.portfolios} live={live} theme={theme} token={token} />
          ))}
      </main>
    </div>
  );
}

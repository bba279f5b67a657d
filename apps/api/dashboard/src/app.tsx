import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Api, ApiError } from './api';
import { SessionContext, mayStream, mayUse, type Session, type View } from './context';
import { LiveConnection, type LiveStatus } from './live';
import { hrefOf, parseRoute, useRoute } from './route';
import { clearSession, expiryOf, storeJustification, storeToken, storedJustification, storedToken, tokenFromFragment } from './session';
import type { AreaV1 as Area, SessionV1 as Me } from '@linewatch/contracts';
import { SearchBox, type SearchQuery } from './components/SearchBox';
import { AlertsView } from './views/AlertsView';
import { DeadLettersView } from './views/DeadLettersView';
import { DigestPreviewView } from './views/DigestPreviewView';
import { HomeView } from './views/HomeView';
import { LineDetailView } from './views/LineDetailView';
import { LinesView } from './views/LinesView';
import { ReviewsView } from './views/ReviewsView';
import { CheckBacksView } from './views/CheckBacksView';
import { SearchView } from './views/SearchView';
import { SignIn } from './views/SignIn';
import { SuggestionsView } from './views/SuggestionsView';
import { TrendView } from './views/TrendView';
import { formatDateTime } from './format';

const VIEW_LABEL: Record<View, string> = {
  home: 'Home',
  reviews: 'Reviews due',
  'check-backs': 'Check-backs due',
  lines: 'Lines',
  alerts: 'Alert inbox',
  trends: 'Weekly trend',
  suggestions: 'Possible replacements',
  search: 'Search results',
  digests: 'Team digests',
  'dead-letters': 'Dead letters',
};
/** The views in the navigation (search results are reached from the search box). */
const VIEW_ORDER: readonly View[] = ['home', 'lines', 'alerts', 'suggestions', 'check-backs', 'trends', 'digests'];
const LIVE_LABEL: Record<LiveStatus, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Live updates off',
};

interface SignedIn {
  readonly api: Api;
  readonly live: LiveConnection;
  readonly me: Me;
  readonly areas: readonly Area[];
}

export function App() {
  const [session, setSession] = useState<SignedIn | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const justification = useRef(storedJustification());

  const signOut = useCallback((why: string | null) => {
    clearSession();
    setSession((current) => {
      current?.live.stop();
      return null;
    });
    setReason(why);
  }, []);

  const signIn = useCallback(
    async (token: string) => {
      setBusy(true);
      const unauthorized = (message: string) => signOut(`You have been signed out: ${message}.`);
      const api = new Api({ token, justification: () => justification.current, onUnauthorized: () => undefined });
      try {
        const [me, areas] = await Promise.all([api.me(), api.areas().catch(() => [] as Area[])]);
        const signed = new Api({ token, justification: () => justification.current, onUnauthorized: unauthorized });
        const live = new LiveConnection(() => signed.authHeaders(), unauthorized);
        storeToken(token);
        setReason(null);
        setSession({ api: signed, live, me, areas });
        if (mayStream(me)) live.start();
      } catch (error) {
        clearSession();
        setReason(
          error instanceof ApiError && error.status === 401
            ? `The token was not accepted: ${error.message}.`
            : `Signing in failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      } finally {
        setBusy(false);
      }
    },
    [signOut],
  );

  useEffect(() => {
    const token = tokenFromFragment() ?? storedToken();
    if (token) void signIn(token);
  }, [signIn]);

  const announce = useCallback((message: string) => {
    // Emptied first so that the same words twice are still read out.
    setAnnouncement('');
    window.setTimeout(() => setAnnouncement(message), 50);
  }, []);

  return (
    <>
      <a class="skip-link" href="#main" onClick={skipToMain}>
        Skip to main content
      </a>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" id="announcer">
        {announcement}
      </div>
      {session ? (
        <Shell session={session} announce={announce} justification={justification} onSignOut={() => signOut(null)} />
      ) : (
        <>
          <header class="banner">
            <span class="brand">LineWatch</span>
          </header>
          <SignIn reason={reason} busy={busy} onSignIn={(token) => void signIn(token)} />
        </>
      )}
    </>
  );
}

/** The skip link moves focus (not only the scroll position) and keeps the hash routes intact. */
function skipToMain(event: Event) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function Shell({
  session,
  announce,
  justification,
  onSignOut,
}: {
  session: SignedIn;
  announce: (message: string) => void;
  justification: { current: string };
  onSignOut: () => void;
}) {
  const route = useRoute();
  const allowed = VIEW_ORDER.filter((view) => mayUse(session.me, view));
  const searches = mayUse(session.me, 'search');
  // Search results, reviews due and dead letters are reached from the search box and the home view, not the navigation.
  const reachable = (asked: View) =>
    allowed.includes(asked) || ((asked === 'search' || asked === 'reviews' || asked === 'dead-letters') && mayUse(session.me, asked));
  const view = route.view && reachable(route.view) ? route.view : (allowed[0] ?? null);
  // What was searched for lives here, not in the address (see route.ts).
  const [search, setSearch] = useState<SearchQuery | null>(null);
  const [liveStatus, setLiveStatus] = useState<LiveStatus>(session.live.status);
  const [why, setWhy] = useState(justification.current);
  const value: Session = useMemo(() => ({ ...session, announce }), [session, announce]);
  const expires = expiryOf(session.api.token);

  useEffect(() => session.live.onStatus(setLiveStatus), [session.live]);
  // A new view takes focus to its heading, so keyboard and screen-reader users start there.
  const routeKey = `${view}/${route.view === 'lines' ? (route.lineId ?? '') : ''}/${view === 'search' ? (search?.asked ?? 0) : ''}`;
  const firstRoute = useRef(true);
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    document.querySelector<HTMLElement>('#main h1')?.focus();
  }, [routeKey]);
  // The address of the view shown when it asked for none (or one not allowed). Only while the address
  // is still the one this render saw: a link followed since (before this effect ran, after the first
  // paint) is left to the hashchange that follows it — rewriting it here would lose it.
  useEffect(() => {
    if (route.view === view || !view) return;
    if (parseRoute(window.location.hash).view !== route.view) return;
    history.replaceState(null, '', hrefOf(view));
  }, [route.view, view]);

  const lineId = route.view === 'lines' ? route.lineId : undefined;
  // A list opened from a figure of the home view starts with that figure's filter.
  const params = route.view === view && route.view !== null ? route.params : undefined;
  const paramsKey = new URLSearchParams(params).toString();
  return (
    <SessionContext.Provider value={value}>
      <header class="banner">
        <span class="brand">LineWatch</span>
        <nav aria-label="Views">
          <ul>
            {allowed.map((item) => (
              <li key={item}>
                <a href={hrefOf(item)} aria-current={item === view && !lineId ? 'page' : undefined}>
                  {VIEW_LABEL[item]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          {mayStream(session.me) && (
            <span class={`live-status live-${liveStatus}`} data-live={liveStatus} role="status">
              <span aria-hidden="true" class="dot" />
              {LIVE_LABEL[liveStatus]}
            </span>
          )}
          <span class="subject" title={expires ? `token expires ${formatDateTime(expires.toISOString())}` : undefined}>
            {session.me.subject} ({session.me.roles.join(', ')}
            {session.me.areas.length > 0 ? `; ${session.me.areas.join(', ')}` : ''})
          </span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      {searches && (
        <SearchBox
          onSearch={(query) => {
            setSearch(query);
            if (route.view !== 'search') window.location.hash = hrefOf('search');
          }}
        />
      )}
      <div class="justification">
        <label for="justification">Reason for looking (recorded with every read)</label>
        <input
          id="justification"
          type="text"
          maxLength={200}
          value={why}
          onInput={(event) => {
            const text = (event.currentTarget as HTMLInputElement).value;
            setWhy(text);
            justification.current = text;
            storeJustification(text);
          }}
        />
      </div>
      <main id="main" tabIndex={-1}>
        {view === null && (
          <>
            <h1>Nothing to show</h1>
            <p>Your roles ({session.me.roles.join(', ') || 'none'}) do not include any view of this dashboard.</p>
          </>
        )}
        {view === 'home' && <HomeView />}
        {view === 'reviews' && <ReviewsView />}
        {view === 'check-backs' && <CheckBacksView />}
        {view === 'lines' && (lineId ? <LineDetailView key={lineId} lineId={lineId} /> : <LinesView key={paramsKey} params={params} />)}
        {view === 'alerts' && <AlertsView key={paramsKey} params={params} />}
        {view === 'trends' && <TrendView />}
        {view === 'suggestions' && <SuggestionsView />}
        {view === 'search' && <SearchView query={search} />}
        {view === 'digests' && <DigestPreviewView />}
        {view === 'dead-letters' && <DeadLettersView />}
      </main>
    </SessionContext.Provider>
  );
}

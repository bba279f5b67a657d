import { useState } from 'preact/hooks';
import { looksLikeJwt } from '../session';

/** Paste a bearer token (development: `npm run -s cli -- token --role analyst`), or arrive with #token=. */
export function SignIn({ reason, busy, onSignIn }: { reason: string | null; busy: boolean; onSignIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    if (!looksLikeJwt(value)) {
      setProblem('That is not an access token: paste the whole token (three parts separated by dots).');
      return;
    }
    setProblem(null);
    onSignIn(value);
  };
  return (
    <main id="main" class="sign-in" tabIndex={-1}>
      <h1>Sign in to LineWatch</h1>
      {reason && (
        <p class="notice notice-error" role="alert">
          {reason}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <label for="token">Access token</label>
        <p id="token-help" class="help">
          Paste the bearer token your identity provider issued. On a development machine:{' '}
          <code>npm run -s cli -- token --role analyst</code>, or open the links <code>npm start</code> prints.
        </p>
        <textarea
          id="token"
          name="token"
          rows={4}
          autoComplete="off"
          spellcheck={false}
          aria-describedby={problem ? 'token-help token-problem' : 'token-help'}
          aria-invalid={problem ? 'true' : undefined}
          value={token}
          onInput={(event) => setToken((event.currentTarget as HTMLTextAreaElement).value)}
        />
        {problem && (
          <p id="token-problem" class="field-error">
            {problem}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="help">The token stays in this browser tab only (session storage) and is removed when you sign out or close the tab.</p>
    </main>
  );
}

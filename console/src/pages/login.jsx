import { useState } from 'preact/hooks';
import { get, saveToken } from '../api.js';
import { ErrorNote, Field } from '../ui.jsx';

/** Asks for the auth token (auth.token) and checks it against the API before keeping it for this tab. */
export function Login({ onLogin }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    saveToken(token.trim());
    try {
      await get('/v1/topics');
      onLogin();
    } catch (e) {
      saveToken(null);
      setError(e);
    }
  };
  return (
    <form class="login" onSubmit={submit}>
      <h1>Sluice</h1>
      <p class="muted">This Sluice requires its auth token.</p>
      <Field label="Token">
        <input type="password" name="token" value={token} onInput={(e) => setToken(e.target.value)} autofocus />
      </Field>
      <button class="primary" type="submit">Log in</button>
      <ErrorNote error={error} />
    </form>
  );
}

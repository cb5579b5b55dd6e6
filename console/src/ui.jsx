import { useEffect, useState, useCallback } from 'preact/hooks';

/** Loads with fn() now and whenever deps change; reload() loads again. */
export function useLoad(fn, deps = []) {
  const [state, setState] = useState({ loading: true, data: null, error: null });
  const load = useCallback(() => {
    let live = true;
    fn().then((data) => live && setState({ loading: false, data, error: null }),
      (error) => live && setState({ loading: false, data: null, error }));
    return () => { live = false; };
  }, deps);
  useEffect(load, [load]);
  return { ...state, reload: load };
}

/** Repeats fn every ms milliseconds while mounted. */
export function useInterval(fn, ms) {
  useEffect(() => {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  }, [fn, ms]);
}

export function ErrorNote({ error }) {
  if (!error) return null;
  return <p class="error" role="alert">{error.message || String(error)}</p>;
}

export function Loading({ state, children }) {
  if (state.error) return <ErrorNote error={state.error} />;
  if (state.loading && !state.data) return <p class="muted">Loading…</p>;
  return children(state.data);
}

/** A button that runs an async action, shows it is busy, and reports a failure next to it. */
export function Action({ run, children, kind = 'primary', disabled, confirm: question }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const click = async () => {
    if (question && !window.confirm(question)) return;
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="action">
      <button class={kind} disabled={busy || disabled} onClick={click}>{busy ? '…' : children}</button>
      <ErrorNote error={error} />
    </span>
  );
}

export function Field({ label, children }) {
  return <label class="field"><span>{label}</span>{children}</label>;
}

export function Table({ columns, rows, empty = 'None yet.', testId }) {
  if (!rows.length) return <p class="muted" data-testid={testId}>{empty}</p>;
  return (
    <table data-testid={testId}>
      <thead><tr>{columns.map((c) => <th key={c.title}>{c.title}</th>)}</tr></thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={row.key ?? i}>{columns.map((c) => <td key={c.title}>{c.render(row)}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}

export function Pretty({ value }) {
  return <pre class="json">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}

/** The value as pretty JSON when it parses as JSON, else as it is. */
export function prettyText(text) {
  if (text == null) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function formatBytes(n) {
  if (n == null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function link(path) {
  return `#${path}`;
}

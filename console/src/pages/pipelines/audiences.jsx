import { useEffect, useState } from 'preact/hooks';
import { api, stream } from '../../api.js';
import { Action, ErrorNote, Field, Table, prettyText } from '../../ui.jsx';

function audiencePath(a) {
  return `/v1/audiences/${encodeURIComponent(a.service)}/${encodeURIComponent(a.topic)}/${a.direction}`;
}

/** The audiences with their pipelines: pause, resume, detach, and a live tail of one. */
export function Audiences({ audiences, onChanged }) {
  const [tailing, setTailing] = useState(null);
  const act = (a, what) => async () => {
    const path = audiencePath(a);
    await api(what === 'detach' ? 'DELETE' : 'POST', what === 'detach' ? path : `${path}/${what}`);
    if (what === 'detach' && tailing === path) setTailing(null);
    onChanged();
  };
  return (
    <div>
      <Table testId="audiences" rows={audiences.map((a) => ({ ...a, key: audiencePath(a) }))} columns={[
        { title: 'Service', render: (a) => a.service },
        { title: 'Topic', render: (a) => a.topic },
        { title: 'Direction', render: (a) => a.direction },
        { title: 'Pipelines', render: (a) => (a.pipelines || []).join(' → ') },
        { title: 'State', render: (a) => (
          <span data-testid="audience-state" class={a.paused ? 'paused' : 'running'}>
            {a.paused ? 'paused' : 'running'}{a.problem ? ` — ${a.problem}` : ''}</span>) },
        { title: '', render: (a) => (
          <span class="buttons">
            <button onClick={() => setTailing(tailing === audiencePath(a) ? null : audiencePath(a))}>
              {tailing === audiencePath(a) ? 'Stop tail' : 'Tail'}</button>
            <Action kind="secondary" run={act(a, a.paused ? 'resume' : 'pause')}>{a.paused ? 'Resume' : 'Pause'}</Action>
            <Action kind="danger" confirm={`Detach the pipelines from ${a.key}?`} run={act(a, 'detach')}>Detach</Action>
          </span>) },
      ]} />
      {tailing && <AudienceTail path={tailing} />}
    </div>
  );
}

/** Samples of the audience's records before and after its pipelines, live over SSE, newest first. */
function AudienceTail({ path }) {
  const [samples, setSamples] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => {
    const controller = new AbortController();
    let seen = 0;
    setSamples([]);
    setError(null);
    stream(`${path}/tail`, (name, data) => {
      if (name === 'sample') setSamples((all) => [{ ...JSON.parse(data), key: seen++ }, ...all].slice(0, 100));
    }, controller.signal).catch((e) => { if (!controller.signal.aborted) setError(e); });
    return () => controller.abort();
  }, [path]);
  return (
    <div class="panel">
      <h2>Live tail of {decodeURIComponent(path.replace('/v1/audiences/', ''))} <span class="live">● live</span></h2>
      <p class="muted">Up to 10 records a second, sampled while this is open.</p>
      <ErrorNote error={error} />
      <Table testId="audience-tail" empty="Waiting for records…" rows={samples} columns={[
        { title: 'Record', render: (s) => (
          <span class="muted">{s.where} {s.client}{s.offset !== undefined ? ` · ${s.partition}@${s.offset}` : ''}
            <br />{s.timestamp ? new Date(s.timestamp).toLocaleTimeString() : ''}</span>) },
        { title: 'Verdict', render: (s) => <span class={`verdict ${s.verdict}`}>{s.verdict}</span> },
        { title: 'Before', render: (s) => <Side value={s.before} headers={s.headers?.before} /> },
        { title: 'After', render: (s) => <Side value={s.after} headers={s.headers?.after} /> },
      ]} />
    </div>
  );
}

/** One side of a sample: its headers (what conditions added shows only after), then the value. */
function Side({ value, headers }) {
  const entries = Object.entries(headers || {});
  return (
    <div>
      {entries.length > 0 && (
        <ul class="headers">{entries.map(([k, v]) => <li key={k}><code>{k}</code>: {v}</li>)}</ul>)}
      <pre class="json">{show(value)}</pre>
    </div>
  );
}

function show(value) {
  if (value == null) return '';
  return typeof value === 'string' ? prettyText(value) : JSON.stringify(value, null, 2);
}

/** Attaches pipelines, in order, to an audience (a service's records of a topic in one direction). */
export function Attach({ pipelines, onAttached }) {
  const [service, setService] = useState('*');
  const [topic, setTopic] = useState('');
  const [direction, setDirection] = useState('produce');
  const [chosen, setChosen] = useState('');
  const attach = async () => {
    const path = audiencePath({ service, topic, direction });
    await api('PUT', path, { pipelines: chosen.split(',').map((s) => s.trim()).filter(Boolean) });
    onAttached();
  };
  return (
    <details class="panel">
      <summary>Attach pipelines to an audience</summary>
      <div class="form row">
        <Field label="Service (client id, * for any)"><input name="audience-service" value={service} onInput={(e) => setService(e.target.value)} /></Field>
        <Field label="Topic"><input name="audience-topic" value={topic} onInput={(e) => setTopic(e.target.value)} /></Field>
        <Field label="Direction">
          <select name="audience-direction" value={direction} onChange={(e) => setDirection(e.target.value)}>
            <option value="produce">produce</option>
            <option value="consume">consume</option>
          </select>
        </Field>
        <Field label={`Pipelines, in order, comma-separated (${pipelines.map((p) => p.id).join(', ') || 'none yet'})`}>
          <input name="audience-pipelines" value={chosen} onInput={(e) => setChosen(e.target.value)} />
        </Field>
        <Action run={attach} disabled={!topic || !chosen}>Attach</Action>
      </div>
    </details>
  );
}

import { useState } from 'preact/hooks';
import { api, get } from '../api.js';
import { Action, Field, Loading, Table, formatTime, useLoad } from '../ui.jsx';

/** The full ingestion URL of a source on this server, as a client would POST to it. */
function ingestUrl(source) {
  return new URL(source.url, window.location.href).toString();
}

function Copy({ text }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setDone(true);
  };
  return <button class="link" onClick={copy}>{done ? 'copied' : 'copy'}</button>;
}

export function Sources() {
  const state = useLoad(() => get('/v1/sources'));
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const create = async () => {
    await api('POST', '/v1/sources', { name, topic });
    setName('');
    state.reload();
  };
  return (
    <section>
      <h1>HTTP sources</h1>
      <details class="panel">
        <summary>Create a source</summary>
        <div class="form row">
          <Field label="Name"><input name="source-name" value={name} onInput={(e) => setName(e.target.value)} /></Field>
          <Field label="Topic (created when missing)">
            <input name="source-topic" value={topic} onInput={(e) => setTopic(e.target.value)} />
          </Field>
          <Action run={create} disabled={!name || !topic}>Create</Action>
        </div>
      </details>
      <Loading state={state}>{(data) => (
        <Table testId="sources" rows={data.sources.map((s) => ({ ...s, key: s.name }))} empty="No sources yet."
          columns={[
            { title: 'Name', render: (s) => s.name },
            { title: 'Topic', render: (s) => <a href={`#/topics/${encodeURIComponent(s.topic)}`}>{s.topic}</a> },
            { title: 'Ingestion URL (with its secret)', render: (s) => (
              <span><code data-testid="ingest-url">{ingestUrl(s)}</code> <Copy text={ingestUrl(s)} /></span>) },
            { title: 'Enabled', render: (s) => (s.enabled ? 'yes' : 'no') },
            { title: 'Created', render: (s) => formatTime(s.createdAt) },
            { title: '', render: (s) => <Action kind="danger" confirm={`Delete source ${s.name}?`}
              run={async () => { await api('DELETE', `/v1/sources/${encodeURIComponent(s.name)}`); state.reload(); }}>
              Delete</Action> },
          ]} />
      )}</Loading>
    </section>
  );
}

const SINK_EXAMPLE = {
  name: 'orders',
  topics: ['orders'],
  mapping: [{ name: 'id', path: '/id', type: 'long' }, { name: 'total', path: '/total', type: 'double' }],
  target: { type: 'duckdb', table: 'orders' },
};

export function Sinks() {
  const state = useLoad(() => get('/v1/sinks'));
  const [text, setText] = useState(JSON.stringify(SINK_EXAMPLE, null, 2));
  const [open, setOpen] = useState(null);
  const create = async () => {
    await api('POST', '/v1/sinks', JSON.parse(text));
    state.reload();
  };
  return (
    <section>
      <h1>Table sinks</h1>
      <details class="panel">
        <summary>Create a sink</summary>
        <textarea name="sink" rows="12" value={text} onInput={(e) => setText(e.target.value)} />
        <Action run={create}>Create</Action>
      </details>
      <Loading state={state}>{(data) => (
        <Table testId="sinks" rows={data.sinks.map((s) => ({ ...s, key: s.name }))} empty="No sinks yet." columns={[
          { title: 'Name', render: (s) => <button class="link" onClick={async () => setOpen(await get(`/v1/sinks/${encodeURIComponent(s.name)}`))}>{s.name}</button> },
          { title: 'Topics', render: (s) => (s.topics || []).join(', ') },
          { title: 'Target', render: (s) => `${s.target?.type} ${s.target?.table || ''}` },
          { title: 'State', render: (s) => (s.paused ? 'paused' : s.status?.state || 'starting') },
          { title: 'Rows imported', render: (s) => s.status?.rowsImported ?? '' },
          { title: 'Lag', render: (s) => s.status?.lag ?? '' },
          { title: 'Last error', render: (s) => <span class="error">{s.status?.lastError || ''}</span> },
          { title: '', render: (s) => (
            <span>
              <Action kind="secondary" run={async () => { await api('POST', `/v1/sinks/${encodeURIComponent(s.name)}/${s.paused ? 'resume' : 'pause'}`); state.reload(); }}>
                {s.paused ? 'Resume' : 'Pause'}</Action>
              <Action kind="danger" confirm={`Delete sink ${s.name}?`}
                run={async () => { await api('DELETE', `/v1/sinks/${encodeURIComponent(s.name)}`); state.reload(); }}>Delete</Action>
            </span>) },
        ]} />
      )}</Loading>
      {open && <SinkDetail sink={open} reload={async () => {
        state.reload();
        setOpen(await get(`/v1/sinks/${encodeURIComponent(open.name)}`));
      }} />}
    </section>
  );
}

const bytesText = (n) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

/** One sink's writer status: counts, lag and last error, then its files and slices with their states. */
function SinkDetail({ sink, reload }) {
  const status = sink.status;
  const items = (list, kind) => (
    <Table testId={`sink-${kind}`} rows={(list || []).map((i) => ({ ...i, key: i.id }))}
      empty={`No ${kind} right now: everything written is imported.`} columns={[
        { title: kind === 'files' ? 'File' : 'Slice', render: (i) => <code>{i.id}</code> },
        { title: 'State', render: (i) => i.state },
        { title: 'Rows', render: (i) => i.rows },
        { title: 'Compressed', render: (i) => bytesText(i.bytes) },
      ]} />
  );
  return (
    <div class="panel" data-testid="sink-detail">
      <h2>{sink.name}: status of files and slices <Action kind="secondary" run={reload}>Refresh</Action></h2>
      {!status ? <p class="muted">No writer has reported on this sink yet.</p> : (
        <div>
          <dl class="facts">
            <dt>State</dt><dd>{sink.paused ? 'paused' : status.state}</dd>
            <dt>Records written</dt><dd>{status.recordsWritten}</dd>
            <dt>Rows imported</dt><dd data-testid="rows-imported">{status.rowsImported}</dd>
            <dt>Dead-lettered</dt><dd>{status.deadLettered}</dd>
            <dt>Lag</dt><dd>{status.lag}</dd>
            <dt>Last error</dt><dd class="error">{status.lastError || '–'}</dd>
          </dl>
          <h3>Files</h3>
          {items(status.files, 'files')}
          <h3>Slices</h3>
          {items(status.slices, 'slices')}
        </div>
      )}
    </div>
  );
}

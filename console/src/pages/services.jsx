import { useState } from 'preact/hooks';
import { api, get } from '../api.js';
import { Action, ErrorNote, Field, Loading, Pretty, Table, formatTime, link, useLoad } from '../ui.jsx';

const TRIGGER_EXAMPLE = 'id: orders-created\nservice: invoicer\nversion: latest\nfilter:\n  exact: {type: shop.order.created}\n';

export function Services() {
  const services = useLoad(() => get('/v1/services'));
  const triggers = useLoad(() => get('/v1/triggers'));
  const runs = useLoad(() => get('/v1/runs?limit=20'));
  return (
    <section>
      <h1>Services</h1>
      <Deploy onDeployed={services.reload} />
      <Loading state={services}>{(data) => (
        <Table testId="services" rows={data.services.map((s) => ({ ...s, key: s.name }))}
          empty="No services yet: deploy a zip of a directory with service.yaml and its scripts." columns={[
            { title: 'Name', render: (s) => <a href={link(`/services/${encodeURIComponent(s.name)}`)}>{s.name}</a> },
            { title: 'Latest version', render: (s) => <code>{s.latest || s.version}</code> },
            { title: 'Runtime', render: (s) => s.manifest?.runtime || s.runtime || '' },
            { title: 'Schedule', render: (s) => s.manifest?.schedule || s.schedule || '' },
            { title: 'Description', render: (s) => s.manifest?.description || s.description || '' },
          ]} />
      )}</Loading>
      <h2>Triggers</h2>
      <TriggerEditor onSaved={triggers.reload} />
      <Loading state={triggers}>{(data) => <Triggers triggers={data.triggers} onChanged={triggers.reload} />}</Loading>
      <h2>Recent runs</h2>
      <Loading state={runs}>{(data) => <Runs runs={data.runs} />}</Loading>
    </section>
  );
}

function Deploy({ onDeployed }) {
  const [file, setFile] = useState(null);
  const [deployed, setDeployed] = useState(null);
  const deploy = async () => {
    const answer = await api('POST', '/v1/services', await file.arrayBuffer(), 'application/zip');
    setDeployed(answer);
    onDeployed();
  };
  return (
    <details class="panel">
      <summary>Deploy a service</summary>
      <div class="form row">
        <Field label="Package (.zip of the service directory)">
          <input type="file" name="package" accept=".zip,application/zip" onChange={(e) => setFile(e.target.files[0])} />
        </Field>
        <Action run={deploy} disabled={!file}>Deploy</Action>
        {deployed && <span data-testid="deployed">deployed {deployed.service} version <code>{deployed.version}</code></span>}
      </div>
    </details>
  );
}

function Triggers({ triggers, onChanged }) {
  return (
    <Table testId="triggers" rows={triggers.map((t) => ({ ...t, key: t.id }))} empty="No triggers yet." columns={[
      { title: 'Id', render: (t) => t.id },
      { title: 'Runs', render: (t) => `${t.service}@${t.version}` },
      { title: 'Filter', render: (t) => <code>{JSON.stringify(t.filter)}</code> },
      { title: 'Active', render: (t) => (t.active === false ? 'no' : 'yes') },
      { title: '', render: (t) => <Action kind="danger" confirm={`Unlink trigger ${t.id}?`}
        run={async () => { await api('DELETE', `/v1/triggers/${encodeURIComponent(t.id)}`); onChanged(); }}>
        Unlink</Action> },
    ]} />
  );
}

/** A trigger in YAML (or JSON), put by id: linking a new one or re-linking an existing one. */
function TriggerEditor({ onSaved }) {
  const [text, setText] = useState(TRIGGER_EXAMPLE);
  const save = async () => {
    const id = (text.match(/^\s*"?id"?\s*:\s*"?([A-Za-z0-9._-]+)"?/m) || [])[1];
    if (!id) throw new Error('the trigger needs an id');
    await api('PUT', `/v1/triggers/${encodeURIComponent(id)}`, text, 'application/yaml');
    onSaved();
  };
  return (
    <details class="panel">
      <summary>Link a trigger</summary>
      <textarea name="trigger" rows="7" value={text} onInput={(e) => setText(e.target.value)} />
      <Action run={save}>Save trigger</Action>
    </details>
  );
}

function Runs({ runs }) {
  return (
    <Table testId="runs" rows={runs.map((r) => ({ ...r, key: r.id }))} empty="No runs yet." columns={[
      { title: 'Run', render: (r) => <a href={link(`/runs/${r.id}`)}><code>{r.id.slice(0, 8)}</code></a> },
      { title: 'Service', render: (r) => r.service },
      { title: 'Status', render: (r) => <span class={`status ${r.status}`}>{r.status}</span> },
      { title: 'Trigger', render: (r) => r.trigger },
      { title: 'Queued', render: (r) => formatTime(r.queued) },
      { title: 'Attempts', render: (r) => r.attempts },
      { title: 'Error', render: (r) => <span class="error">{r.error || ''}</span> },
    ]} />
  );
}

export function ServiceDetail({ name }) {
  const service = useLoad(() => get(`/v1/services/${encodeURIComponent(name)}`), [name]);
  const runs = useLoad(() => get(`/v1/runs?service=${encodeURIComponent(name)}&limit=50`), [name]);
  const [data, setData] = useState('{}');
  const [started, setStarted] = useState(null);
  const run = async () => {
    setStarted(await api('POST', `/v1/services/${encodeURIComponent(name)}/runs`, { data: JSON.parse(data) }));
    setTimeout(runs.reload, 1000);
  };
  return (
    <section>
      <p><a href="#/services">Services</a> /</p>
      <h1>{name}</h1>
      <Loading state={service}>{(s) => (
        <div>
          <h2>Versions</h2>
          <Table testId="versions" rows={(s.versions || []).map((v) => ({ ...v, key: v.version }))} columns={[
            { title: 'Version', render: (v) => <code>{v.version}</code> },
            { title: 'Deployed', render: (v) => formatTime(v.deployedAt) },
            { title: 'Manifest', render: (v) => <Pretty value={v.manifest} /> },
          ]} />
          {s.secrets && <p class="muted">Secrets set: {s.secrets.join(', ') || 'none'}</p>}
        </div>
      )}</Loading>
      <div class="panel">
        <h2>Run now</h2>
        <Field label="Parameters (JSON, the event's data)">
          <textarea name="run-data" rows="3" value={data} onInput={(e) => setData(e.target.value)} />
        </Field>
        <Action run={run}>Run</Action>
        {started && <span data-testid="started"> started: <a href={link(`/runs/${started.runId}`)}>run {started.runId.slice(0, 8)}</a></span>}
      </div>
      <h2>Runs <button class="link" onClick={runs.reload}>refresh</button></h2>
      <Loading state={runs}>{(d) => <Runs runs={d.runs} />}</Loading>
    </section>
  );
}

export function RunDetail({ id }) {
  const run = useLoad(() => get(`/v1/runs/${encodeURIComponent(id)}`), [id]);
  const logs = useLoad(() => get(`/v1/runs/${encodeURIComponent(id)}/logs`), [id]);
  return (
    <section>
      <p><a href="#/services">Services</a> / runs /</p>
      <h1>Run <code>{id}</code></h1>
      <Loading state={run}>{(r) => (
        <div>
          <p>
            <a href={link(`/services/${encodeURIComponent(r.run.service)}`)}>{r.run.service}</a>{' '}
            <code>{r.run.version}</code> · <span class={`status ${r.run.status}`} data-testid="run-status">{r.run.status}</span>
            {' '}· trigger {r.trigger} · node {r.node}
          </p>
          {r.run.error && <ErrorNote error={new Error(r.run.error)} />}
          <div class="columns">
            <div><h2>Input event</h2><Pretty value={r.run.input} /></div>
            <div><h2>Emitted events</h2><Pretty value={r.run.emitted} /></div>
          </div>
        </div>
      )}</Loading>
      <h2>Logs <button class="link" onClick={() => { run.reload(); logs.reload(); }}>refresh</button></h2>
      <Loading state={logs}>{(text) => <pre class="logs" data-testid="run-logs">{text}</pre>}</Loading>
    </section>
  );
}

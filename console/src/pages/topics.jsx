import { useEffect, useRef, useState } from 'preact/hooks';
import { api, get, stream } from '../api.js';
import { Charts } from './charts.jsx';
import { Action, ErrorNote, Field, Loading, Pretty, Table, formatBytes, link, prettyText, useLoad } from '../ui.jsx';

export function Topics() {
  const state = useLoad(() => get('/v1/topics'));
  return (
    <section>
      <h1>Topics</h1>
      <CreateTopic onCreated={state.reload} />
      <Loading state={state}>{(data) => (
        <Table testId="topics" rows={data.topics.map((t) => ({ ...t, key: t.name }))} empty="No topics yet." columns={[
          { title: 'Name', render: (t) => <a href={link(`/topics/${encodeURIComponent(t.name)}`)}>{t.name}</a> },
          { title: 'Partitions', render: (t) => t.partitions },
        ]} />
      )}</Loading>
    </section>
  );
}

/** "a=b" lines to an object; blank lines are skipped. */
function parseConfigs(text) {
  const configs = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const eq = line.indexOf('=');
    if (eq < 1) throw new Error(`config '${line}' is not key=value`);
    configs[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return configs;
}

function CreateTopic({ onCreated }) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('1');
  const [configs, setConfigs] = useState('');
  const create = async () => {
    await api('POST', '/v1/topics', { name, partitions: Number(partitions), configs: parseConfigs(configs) });
    setName('');
    setConfigs('');
    onCreated();
  };
  return (
    <details class="panel">
      <summary>Create a topic</summary>
      <div class="form">
        <Field label="Name"><input name="topic-name" value={name} onInput={(e) => setName(e.target.value)} /></Field>
        <Field label="Partitions">
          <input type="number" min="1" value={partitions} onInput={(e) => setPartitions(e.target.value)} />
        </Field>
        <Field label="Configs (key=value per line)">
          <textarea rows="3" value={configs} placeholder="retention.ms=86400000"
            onInput={(e) => setConfigs(e.target.value)} />
        </Field>
        <Action run={create} disabled={!name}>Create</Action>
      </div>
    </details>
  );
}

export function TopicDetail({ name }) {
  const state = useLoad(() => get(`/v1/topics/${encodeURIComponent(name)}`), [name]);
  const remove = async () => {
    await api('DELETE', `/v1/topics/${encodeURIComponent(name)}`);
    window.location.hash = '#/topics';
  };
  return (
    <section>
      <p><a href="#/topics">Topics</a> /</p>
      <h1>{name}</h1>
      <Loading state={state}>{(topic) => (
        <div>
          <div class="columns">
            <div>
              <h2>Partitions</h2>
              <Table testId="partitions" rows={topic.partitions.map((p) => ({ ...p, key: p.partition }))} columns={[
                { title: 'Partition', render: (p) => p.partition },
                { title: 'Start', render: (p) => p.startOffset },
                { title: 'End', render: (p) => p.endOffset },
                { title: 'Records', render: (p) => p.endOffset - p.startOffset },
                { title: 'Size', render: (p) => formatBytes(p.sizeBytes) },
              ]} />
            </div>
            <details class="panel">
              <summary>Configs ({Object.keys(topic.configs || {}).length})</summary>
              <Table testId="configs" rows={Object.entries(topic.configs || {}).map(([k, v]) => ({ key: k, k, v }))}
                columns={[
                  { title: 'Key', render: (c) => c.k },
                  { title: 'Value', render: (c) => c.v },
                  { title: '', render: (c) => (
                    <Action kind="secondary" confirm={`Reset ${c.k} to the broker's default?`} run={async () => {
                      await api('PATCH', `/v1/topics/${encodeURIComponent(name)}`, { configs: { [c.k]: null } });
                      state.reload();
                    }}>Reset</Action>) },
                ]} />
            </details>
          </div>
          <ChangeTopic topic={topic} onChanged={state.reload} />
          <Produce topic={name} onProduced={state.reload} />
          <Browse topic={name} partitions={topic.partitions.length} />
          <Tail topic={name} />
          <h2>Traffic</h2>
          <Charts topic={name} />
          <p><Action kind="danger" run={remove} confirm={`Delete topic ${name} and all its records?`}>
            Delete topic</Action></p>
        </div>
      )}</Loading>
    </section>
  );
}

/** Add partitions (never fewer) and set or reset configs: PATCH /v1/topics/{name}. */
function ChangeTopic({ topic, onChanged }) {
  const [partitions, setPartitions] = useState(String(topic.partitions.length));
  const [configs, setConfigs] = useState('');
  const change = async () => {
    const body = { configs: {} };
    if (Number(partitions) !== topic.partitions.length) body.partitions = Number(partitions);
    // "key=" resets a config to its default.
    for (const [key, value] of Object.entries(parseConfigs(configs))) body.configs[key] = value === '' ? null : value;
    await api('PATCH', `/v1/topics/${encodeURIComponent(topic.name)}`, body);
    setConfigs('');
    onChanged();
  };
  return (
    <details class="panel">
      <summary>Change partitions or configs</summary>
      <div class="form">
        <Field label={`Partitions (now ${topic.partitions.length}; only more)`}>
          <input name="partitions" type="number" min={topic.partitions.length} value={partitions}
            onInput={(e) => setPartitions(e.target.value)} />
        </Field>
        <Field label="Configs to set (key=value per line; key= resets to the default)">
          <textarea name="configs" rows="3" value={configs} placeholder="retention.ms=3600000"
            onInput={(e) => setConfigs(e.target.value)} />
        </Field>
        <Action run={change}>Apply</Action>
      </div>
    </details>
  );
}

function Produce({ topic, onProduced }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('{"hello": "world"}');
  const [result, setResult] = useState(null);
  const send = async () => {
    let record;
    try {
      record = { key: key || null, value: JSON.parse(value) };
    } catch {
      record = { key: key || null, value, encoding: 'string' };
    }
    const answer = await api('POST', `/v1/topics/${encodeURIComponent(topic)}/records`, { records: [record] });
    setResult(answer.offsets[0]);
    onProduced();
  };
  return (
    <details class="panel">
      <summary>Produce a record</summary>
      <div class="form">
        <Field label="Key"><input name="record-key" value={key} onInput={(e) => setKey(e.target.value)} /></Field>
        <Field label="Value (JSON, or any text)">
          <textarea name="record-value" rows="4" value={value} onInput={(e) => setValue(e.target.value)} />
        </Field>
        <Action run={send}>Produce</Action>
        {result && <span class="muted" data-testid="produced"> written at partition {result.partition}, offset {result.offset}</span>}
      </div>
    </details>
  );
}

function RecordRows({ records, testId }) {
  return (
    <Table testId={testId} empty="No records." rows={records.map((r) => ({ ...r, key: `${r.partition}-${r.offset}` }))}
      columns={[
        { title: 'Partition', render: (r) => r.partition },
        { title: 'Offset', render: (r) => r.offset },
        { title: 'Time', render: (r) => new Date(r.timestamp).toLocaleString() },
        { title: 'Key', render: (r) => r.key ?? <span class="muted">null</span> },
        { title: 'Headers', render: (r) => Object.entries(r.headers || {}).map(([k, v]) => <div key={k}><code>{k}</code>: {v}</div>) },
        { title: 'Value', render: (r) => <pre class="json">{r.encoding === 'json' ? JSON.stringify(r.value, null, 2) : prettyText(r.value)}</pre> },
      ]} />
  );
}

function Browse({ topic, partitions }) {
  const [partition, setPartition] = useState(0);
  const [from, setFrom] = useState('offset');
  const [offset, setOffset] = useState('0');
  const [time, setTime] = useState('');
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const read = async (start) => {
    setError(null);
    const at = from === 'time' && start === undefined
      ? `timestamp=${encodeURIComponent(new Date(time).toISOString())}` : `offset=${start ?? offset}`;
    try {
      setPage(await get(`/v1/topics/${encodeURIComponent(topic)}/records?partition=${partition}&${at}&limit=50`));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="panel">
      <h2>Browse</h2>
      <div class="form row">
        <Field label="Partition">
          <select value={partition} onChange={(e) => setPartition(Number(e.target.value))}>
            {Array.from({ length: partitions }, (_, p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </Field>
        <Field label="From">
          <select value={from} onChange={(e) => setFrom(e.target.value)}>
            <option value="offset">offset</option>
            <option value="time">time</option>
          </select>
        </Field>
        {from === 'offset'
          ? <Field label="Offset"><input name="offset" type="number" min="0" value={offset} onInput={(e) => setOffset(e.target.value)} /></Field>
          : <Field label="Time"><input name="time" type="datetime-local" step="1" value={time} onInput={(e) => setTime(e.target.value)} /></Field>}
        <button class="primary" onClick={() => read()}>Read</button>
        {page && page.records.length > 0 && <button onClick={() => read(page.nextOffset)}>Next</button>}
      </div>
      <ErrorNote error={error} />
      {page && <RecordRows testId="browse" records={page.records} />}
    </div>
  );
}

/** Live records over SSE while open; the newest first, at most 200 kept. */
function Tail({ topic }) {
  const [on, setOn] = useState(false);
  const [records, setRecords] = useState([]);
  const [error, setError] = useState(null);
  const abort = useRef(null);
  useEffect(() => {
    if (!on) return undefined;
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    stream(`/v1/topics/${encodeURIComponent(topic)}/tail`, (name, data) => {
      if (name === 'record') setRecords((all) => [JSON.parse(data), ...all].slice(0, 200));
    }, controller.signal).catch((e) => { if (!controller.signal.aborted) setError(e); });
    return () => controller.abort();
  }, [on, topic]);
  return (
    <div class="panel">
      <h2>Live tail {on && <span class="live">● live</span>}</h2>
      <button onClick={() => setOn(!on)}>{on ? 'Stop' : 'Start'}</button>
      <ErrorNote error={error} />
      {on && <RecordRows testId="tail" records={records} />}
    </div>
  );
}


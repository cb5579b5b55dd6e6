import { useState } from 'preact/hooks';
import { api, get } from '../api.js';
import { Action, ErrorNote, Field, Loading, Pretty, Table, useLoad } from '../ui.jsx';

const EXAMPLE = {
  id: 'mask-emails',
  name: 'Mask e-mail addresses',
  steps: [
    { name: 'find', detective: { type: 'pii_email' } },
    { name: 'mask', transform: { type: 'mask' } },
  ],
};

export function Pipelines() {
  const pipelines = useLoad(() => get('/v1/pipelines'));
  const audiences = useLoad(() => get('/v1/audiences'));
  return (
    <section>
      <h1>Pipelines</h1>
      <Editor onSaved={pipelines.reload} />
      <Loading state={pipelines}>{(data) => (
        <Table testId="pipelines" rows={(data.pipelines || []).map((p) => ({ ...p, key: p.id }))} columns={[
          { title: 'Id', render: (p) => p.id },
          { title: 'Name', render: (p) => p.name },
          { title: 'Steps', render: (p) => (p.steps || []).map((s) => s.name).join(' → ') },
          { title: '', render: (p) => <Action kind="danger" confirm={`Delete pipeline ${p.id}?`}
            run={async () => { await api('DELETE', `/v1/pipelines/${encodeURIComponent(p.id)}`); pipelines.reload(); }}>
            Delete</Action> },
        ]} />
      )}</Loading>
      <h2>Audiences</h2>
      <Attach pipelines={pipelines.data?.pipelines || []} onAttached={audiences.reload} />
      <Loading state={audiences}>{(data) => (
        <Table testId="audiences" rows={(data.audiences || []).map((a) => ({ ...a, key: `${a.service}/${a.topic}/${a.direction}` }))}
          columns={[
            { title: 'Service', render: (a) => a.service },
            { title: 'Topic', render: (a) => a.topic },
            { title: 'Direction', render: (a) => a.direction },
            { title: 'Pipelines', render: (a) => (a.pipelines || []).join(', ') },
          ]} />
      )}</Loading>
    </section>
  );
}

/** A pipeline as JSON (the API's own form), with a dry run on a sample payload before saving. */
function Editor({ onSaved }) {
  const [text, setText] = useState(JSON.stringify(EXAMPLE, null, 2));
  const [sample, setSample] = useState('{"user": {"email": "ada@example.com"}}');
  const [dry, setDry] = useState(null);
  const [error, setError] = useState(null);
  const parsed = () => JSON.parse(text);
  const dryRun = async () => {
    setError(null);
    try {
      setDry(await api('POST', '/v1/pipelines/dry-run', { pipeline: parsed(), payload: JSON.parse(sample) }));
    } catch (e) {
      setError(e);
    }
  };
  const save = async () => {
    const pipeline = parsed();
    try {
      await api('PUT', `/v1/pipelines/${encodeURIComponent(pipeline.id)}`, pipeline);
    } catch (e) {
      if (e.status !== 404) throw e;
      await api('POST', '/v1/pipelines', pipeline);
    }
    onSaved();
  };
  return (
    <details class="panel">
      <summary>Create or change a pipeline</summary>
      <div class="columns">
        <Field label="Pipeline (JSON)">
          <textarea name="pipeline" rows="14" value={text} onInput={(e) => setText(e.target.value)} />
        </Field>
        <div>
          <Field label="Sample payload (JSON)">
            <textarea name="sample" rows="5" value={sample} onInput={(e) => setSample(e.target.value)} />
          </Field>
          <button onClick={dryRun}>Dry run</button> <Action run={save}>Save</Action>
          <ErrorNote error={error} />
          {dry && <Pretty value={dry} />}
        </div>
      </div>
    </details>
  );
}

function Attach({ pipelines, onAttached }) {
  const [service, setService] = useState('*');
  const [topic, setTopic] = useState('');
  const [direction, setDirection] = useState('produce');
  const [chosen, setChosen] = useState('');
  const attach = async () => {
    const path = `/v1/audiences/${encodeURIComponent(service)}/${encodeURIComponent(topic)}/${direction}`;
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
          <select value={direction} onChange={(e) => setDirection(e.target.value)}>
            <option value="produce">produce</option>
            <option value="consume">consume</option>
          </select>
        </Field>
        <Field label={`Pipelines (${pipelines.map((p) => p.id).join(', ') || 'none yet'})`}>
          <input name="audience-pipelines" value={chosen} onInput={(e) => setChosen(e.target.value)} />
        </Field>
        <Action run={attach} disabled={!topic || !chosen}>Attach</Action>
      </div>
    </details>
  );
}

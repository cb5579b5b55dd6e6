import { useEffect, useState } from 'preact/hooks';
import { api, get, stream } from '../../api.js';
import { Action, ErrorNote, Field, Loading, Pretty, Table, prettyText, useLoad } from '../../ui.jsx';
import { StepEditor, newStep } from './steps.jsx';

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
  const modules = useLoad(() => get('/v1/wasm').catch(() => ({ modules: [] })));
  const [editing, setEditing] = useState(EXAMPLE);
  const [open, setOpen] = useState(false);
  const edit = (pipeline) => {
    setEditing(pipeline);
    setOpen(true);
  };
  return (
    <section>
      <h1>Pipelines</h1>
      <Editor key={JSON.stringify(editing)} initial={editing} open={open} modules={modules.data?.modules || []}
        onSaved={pipelines.reload} />
      <Loading state={pipelines}>{(data) => (
        <Table testId="pipelines" rows={(data.pipelines || []).map((p) => ({ ...p, key: p.id }))} columns={[
          { title: 'Id', render: (p) => <button class="link" onClick={() => edit(stripped(p))}>{p.id}</button> },
          { title: 'Name', render: (p) => p.name },
          { title: 'Steps', render: (p) => (p.steps || []).map((s) => s.name).join(' → ') },
          { title: '', render: (p) => <Action kind="danger" confirm={`Delete pipeline ${p.id}?`}
            run={async () => { await api('DELETE', `/v1/pipelines/${encodeURIComponent(p.id)}`); pipelines.reload(); }}>
            Delete</Action> },
        ]} />
      )}</Loading>
      <h2>Audiences</h2>
      <Attach pipelines={pipelines.data?.pipelines || []} onAttached={audiences.reload} />
      <Loading state={audiences}>{(data) => <Audiences audiences={data.audiences || []} onChanged={audiences.reload} />}</Loading>
    </section>
  );
}

/** The definition as the API takes it (without what the API adds when it answers: version, times). */
function stripped(pipeline) {
  const { id, name, steps } = pipeline;
  return { id, name, steps };
}

/** A pipeline built in a form (or edited as JSON, the same thing), dry-run on a sample, and saved. */
function Editor({ initial, open, modules, onSaved }) {
  const [pipeline, setPipeline] = useState(initial);
  const [asJson, setAsJson] = useState(false);
  const [jsonText, setJsonText] = useState('');
  const [jsonError, setJsonError] = useState(null);
  const [sample, setSample] = useState('{"user": {"email": "ada@example.com"}}');
  const [dry, setDry] = useState(null);
  const [error, setError] = useState(null);
  const steps = pipeline.steps || [];
  const setSteps = (next) => setPipeline({ ...pipeline, steps: next });
  const toggleJson = () => {
    if (!asJson) setJsonText(JSON.stringify(pipeline, null, 2));
    setAsJson(!asJson);
    setJsonError(null);
  };
  const editJson = (text) => {
    setJsonText(text);
    try {
      setPipeline(JSON.parse(text));
      setJsonError(null);
    } catch (e) {
      setJsonError(e);
    }
  };
  const move = (i, by) => {
    const next = [...steps];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setSteps(next);
  };
  const dryRun = async () => {
    setError(null);
    setDry(null);
    try {
      setDry(await api('POST', '/v1/pipelines/dry-run', { pipeline, payload: JSON.parse(sample) }));
    } catch (e) {
      setError(e);
    }
  };
  const save = async () => {
    try {
      await api('PUT', `/v1/pipelines/${encodeURIComponent(pipeline.id)}`, pipeline);
    } catch (e) {
      if (e.status !== 404) throw e;
      await api('POST', '/v1/pipelines', pipeline);
    }
    onSaved();
  };
  return (
    <details class="panel" open={open}>
      <summary>Create or change a pipeline</summary>
      <div class="form row">
        <Field label="Id"><input name="pipeline-id" value={pipeline.id || ''} onInput={(e) => setPipeline({ ...pipeline, id: e.target.value })} /></Field>
        <Field label="Name"><input name="pipeline-name" value={pipeline.name || ''} onInput={(e) => setPipeline({ ...pipeline, name: e.target.value })} /></Field>
        <button onClick={toggleJson}>{asJson ? 'Edit as a form' : 'Edit as JSON'}</button>
      </div>
      {asJson ? (
        <div>
          <textarea name="pipeline" rows="14" value={jsonText} onInput={(e) => editJson(e.target.value)} />
          <ErrorNote error={jsonError} />
        </div>
      ) : (
        <div class="steps">
          {steps.map((step, i) => (
            <StepEditor key={i} step={step} index={i} count={steps.length} modules={modules}
              onChange={(s) => setSteps(steps.map((x, j) => (j === i ? s : x)))}
              onMove={(by) => move(i, by)} onRemove={() => setSteps(steps.filter((_, j) => j !== i))} />
          ))}
          <button onClick={() => setSteps([...steps, newStep('detective', steps.length)])}>Add a step</button>
        </div>
      )}
      <div class="columns">
        <Field label="Sample payload (JSON)">
          <textarea name="sample" rows="4" value={sample} onInput={(e) => setSample(e.target.value)} />
        </Field>
        <div>
          <button onClick={dryRun}>Dry run</button> <Action run={save}>Save</Action>
          <ErrorNote error={error} />
          {dry && <DryRun result={dry} />}
        </div>
      </div>
    </details>
  );
}

function DryRun({ result }) {
  return (
    <div class="dry-run" data-testid="dry-run">
      <p>Verdict <strong>{result.verdict}</strong>{result.changed ? ', changed' : ', unchanged'}
        {result.reason ? ` — ${result.reason}` : ''}</p>
      <Pretty value={typeof result.value === 'string' ? prettyText(result.value) : result.value} />
      <Table rows={(result.steps || []).map((s, i) => ({ ...s, key: i }))} columns={[
        { title: 'Pipeline', render: (s) => s.pipeline || '' },
        { title: 'Step', render: (s) => s.step || s.name || '' },
        { title: 'Answer', render: (s) => s.outcome || s.answer || '' },
        { title: 'Then', render: (s) => s.action || s.then || '' },
        { title: 'Detail', render: (s) => s.detail || '' },
      ]} />
    </div>
  );
}

function audiencePath(a) {
  return `/v1/audiences/${encodeURIComponent(a.service)}/${encodeURIComponent(a.topic)}/${a.direction}`;
}

function Audiences({ audiences, onChanged }) {
  const [tailing, setTailing] = useState(null);
  const act = (a, what) => async () => {
    await api(what === 'detach' ? 'DELETE' : 'POST', what === 'detach' ? audiencePath(a) : `${audiencePath(a)}/${what}`);
    if (what === 'detach' && tailing === audiencePath(a)) setTailing(null);
    onChanged();
  };
  return (
    <div>
      <Table testId="audiences" rows={audiences.map((a) => ({ ...a, key: audiencePath(a) }))} columns={[
        { title: 'Service', render: (a) => a.service },
        { title: 'Topic', render: (a) => a.topic },
        { title: 'Direction', render: (a) => a.direction },
        { title: 'Pipelines', render: (a) => (a.pipelines || []).join(', ') },
        { title: 'State', render: (a) => <span data-testid="audience-state">{a.paused ? 'paused' : 'running'}{a.problem ? ` — ${a.problem}` : ''}</span> },
        { title: '', render: (a) => (
          <span>
            <button onClick={() => setTailing(tailing === audiencePath(a) ? null : audiencePath(a))}>
              {tailing === audiencePath(a) ? 'Stop tail' : 'Tail'}</button>
            <Action kind="secondary" run={act(a, a.paused ? 'resume' : 'pause')}>{a.paused ? 'Resume' : 'Pause'}</Action>
            <Action kind="danger" confirm="Detach these pipelines?" run={act(a, 'detach')}>Detach</Action>
          </span>) },
      ]} />
      {tailing && <AudienceTail path={tailing} />}
    </div>
  );
}

/** Samples of the audience's records before and after its pipelines, live over SSE. */
function AudienceTail({ path }) {
  const [samples, setSamples] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => {
    const controller = new AbortController();
    setSamples([]);
    stream(`${path}/tail`, (name, data) => {
      if (name === 'sample') setSamples((all) => [JSON.parse(data), ...all].slice(0, 100));
    }, controller.signal).catch((e) => { if (!controller.signal.aborted) setError(e); });
    return () => controller.abort();
  }, [path]);
  return (
    <div class="panel">
      <h2>Live tail of {path.replace('/v1/audiences/', '')} <span class="live">● live</span></h2>
      <ErrorNote error={error} />
      <Table testId="audience-tail" empty="Waiting for records…" rows={samples.map((s, i) => ({ ...s, key: i }))} columns={[
        { title: 'Where', render: (s) => `${s.where || ''} ${s.client || ''}` },
        { title: 'Verdict', render: (s) => s.verdict },
        { title: 'Before', render: (s) => <pre class="json">{show(s.before)}</pre> },
        { title: 'After', render: (s) => <pre class="json">{show(s.after)}</pre> },
      ]} />
    </div>
  );
}

function show(value) {
  if (value == null) return '';
  return typeof value === 'string' ? prettyText(value) : JSON.stringify(value, null, 2);
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
        <Field label={`Pipelines, in order (${pipelines.map((p) => p.id).join(', ') || 'none yet'})`}>
          <input name="audience-pipelines" value={chosen} onInput={(e) => setChosen(e.target.value)} />
        </Field>
        <Action run={attach} disabled={!topic || !chosen}>Attach</Action>
      </div>
    </details>
  );
}

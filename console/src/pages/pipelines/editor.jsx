import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Action, Field, Pretty, Table } from '../../ui.jsx';
import { StepEditor, newStep } from './steps.jsx';

/** Why text is not a pipeline definition, or null when it is one. */
function notAPipeline(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'a pipeline is a JSON object';
  if (value.steps !== undefined && !Array.isArray(value.steps)) return 'steps must be a list';
  if ((value.steps || []).some((s) => !s || typeof s !== 'object' || Array.isArray(s))) return 'each step must be an object';
  return null;
}

/**
 * A pipeline built in a form, or edited as JSON (the same pipeline: each view starts from what the other made), tried
 * on a sample payload, and saved.
 */
export function Editor({ initial, open, modules, onSaved }) {
  const [pipeline, setPipeline] = useState(initial);
  const [jsonText, setJsonText] = useState(null); // null: the form is shown
  const [jsonError, setJsonError] = useState(null);
  const [sample, setSample] = useState('{"user": {"email": "ada@example.com", "name": "Ada"}}');
  const [dry, setDry] = useState(null);
  const [saved, setSaved] = useState(null);
  const [badStep, setBadStep] = useState(null);
  const asJson = jsonText !== null;
  const steps = pipeline.steps || [];
  const change = (next) => {
    setPipeline(next);
    setSaved(null);
  };
  const setSteps = (next) => change({ ...pipeline, steps: next });
  const toggleJson = () => {
    setJsonText(asJson ? null : JSON.stringify(pipeline, null, 2));
    setJsonError(null);
  };
  const editJson = (text) => {
    setJsonText(text);
    try {
      const value = JSON.parse(text);
      const wrong = notAPipeline(value);
      if (wrong) throw new Error(wrong);
      change(value);
      setJsonError(null);
    } catch (e) {
      setJsonError(`Not a pipeline: ${e.message}. The form keeps the last valid version.`);
    }
  };
  const move = (i, by) => {
    const next = [...steps];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setSteps(next);
  };
  /** Runs a call to the API, marking the step its error names (invalid_pipeline) until the next call. */
  const marking = async (call) => {
    setBadStep(null);
    try {
      return await call();
    } catch (e) {
      if (e.step) setBadStep(e.step.index);
      throw e;
    }
  };
  const dryRun = () => marking(async () => {
    setDry(null);
    // Text that is not JSON is tried as the raw payload (the API takes a JSON string as the payload's text).
    let payload;
    try { payload = JSON.parse(sample); } catch { payload = sample; }
    setDry(await api('POST', '/v1/pipelines/dry-run', { pipeline, payload }));
  });
  const save = () => marking(async () => {
    if (!pipeline.id) throw new Error('The pipeline needs an id.');
    // PUT creates the pipeline when it is new, and replaces it (a new version) when it exists.
    setSaved(await api('PUT', `/v1/pipelines/${encodeURIComponent(pipeline.id)}`, pipeline));
    onSaved();
  });
  const field = (name) => (e) => change({ ...pipeline, [name]: e.target.value });
  return (
    <details class="panel" open={open}>
      <summary>Create or change a pipeline</summary>
      <div class="form row">
        {!asJson && (
          <>
            <Field label="Id (a-z, 0-9, . _ -)"><input name="pipeline-id" value={pipeline.id || ''} onInput={field('id')} /></Field>
            <Field label="Name"><input name="pipeline-name" value={pipeline.name || ''} onInput={field('name')} /></Field>
          </>
        )}
        <button onClick={toggleJson}>{asJson ? 'Edit as a form' : 'Edit as JSON'}</button>
      </div>
      {asJson ? (
        <div>
          <textarea name="pipeline" rows="16" value={jsonText} onInput={(e) => editJson(e.target.value)} />
          {jsonError && <p class="error" role="alert" data-testid="json-error">{jsonError}</p>}
        </div>
      ) : (
        <div class="steps">
          {steps.map((step, i) => (
            <StepEditor key={i} step={step} index={i} count={steps.length} modules={modules} bad={badStep === i}
              onChange={(s) => setSteps(steps.map((x, j) => (j === i ? s : x)))}
              onMove={(by) => move(i, by)} onRemove={() => setSteps(steps.filter((_, j) => j !== i))} />
          ))}
          <div><button onClick={() => setSteps([...steps, newStep('detective', steps.length)])}>Add a step</button></div>
        </div>
      )}
      <div class="columns">
        <Field label="Sample payload (JSON; other text is tried as it is)">
          <textarea name="sample" rows="5" value={sample} onInput={(e) => setSample(e.target.value)} />
        </Field>
        <div>
          <div class="buttons">
            <Action kind="secondary" run={dryRun} disabled={!!jsonError}>Dry run</Action>
            <Action run={save} disabled={!!jsonError}>Save</Action>
            {saved && <span class="saved" data-testid="saved">Saved {saved.id}, version {saved.version}</span>}
          </div>
          {dry && <DryRun result={dry} />}
        </div>
      </div>
    </details>
  );
}

/** A dry run's answer: the verdict, the value the pipeline made, and every step's answer. */
function DryRun({ result }) {
  const headers = Object.entries(result.headers || {});
  return (
    <div class="dry-run" data-testid="dry-run">
      <p>
        <span class={`verdict ${result.verdict}`}>{result.verdict}</span>{' '}
        {result.changed ? 'changed' : 'unchanged'}
        {result.deadLetterTopic ? ` → ${result.deadLetterTopic}` : ''}
        {result.reason ? ` — ${result.reason}` : ''}
      </p>
      <Pretty value={result.value} />
      {headers.length > 0 && <p data-testid="dry-run-headers">Headers: {headers.map(([k, v]) => `${k}=${v}`).join(', ')}</p>}
      {(result.notifications || []).length > 0 && <p>Notifications: {result.notifications.map((n) => `${n.step} (${n.outcome})`).join(', ')}</p>}
      <Table testId="dry-run-steps" rows={(result.steps || []).map((s, i) => ({ ...s, key: i }))} columns={[
        { title: 'Step', render: (s) => s.step },
        { title: 'Answer', render: (s) => <span class={`answer a-${s.outcome}`}>{s.outcome}</span> },
        { title: 'Then', render: (s) => s.then },
        { title: 'Detail', render: (s) => s.detail || '' },
      ]} />
    </div>
  );
}

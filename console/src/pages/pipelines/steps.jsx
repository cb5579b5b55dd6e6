import { Field } from '../../ui.jsx';

// The step kinds and their types, as pipelines/README.md lists them.
export const DETECTIVE_TYPES = [
  'has_field', 'is_empty', 'is_type', 'string_equal', 'string_contains_any', 'string_contains_all', 'regex',
  'string_length_min', 'string_length_max', 'string_length_range', 'numeric_equal_to', 'numeric_greater_than',
  'numeric_greater_equal', 'numeric_less_than', 'numeric_less_equal', 'numeric_range', 'timestamp_rfc3339',
  'timestamp_unix', 'uuid', 'ipv4', 'ipv6', 'mac_address', 'url', 'hostname', 'semver', 'boolean_true',
  'boolean_false', 'pii_email', 'pii_credit_card', 'pii_ssn', 'pii_phone', 'pii_iban', 'pii_ip_address', 'pii_jwt',
  'pii_bearer_token', 'pii_aws_key', 'pii_github_token', 'pii_slack_token', 'pii_stripe_key', 'pii_private_key',
  'pii_any', 'pii_keyword',
];
export const TRANSFORM_TYPES = ['mask', 'obfuscate', 'truncate', 'replace_value', 'delete_field', 'extract'];
const KINDS = [
  ['detective', 'Detective (check or find PII)'],
  ['transform', 'Transform'],
  ['schemaValidation', 'JSON Schema'],
  ['validJson', 'Valid JSON'],
  ['inferSchema', 'Infer schema'],
  ['wasm', 'WebAssembly'],
];
const THEN = ['', 'continue', 'abort_pipeline', 'abort_all', 'drop', 'dead_letter'];

export function kindOf(step) {
  return KINDS.map(([k]) => k).find((k) => step[k] !== undefined && step[k] !== null) || 'detective';
}

/** A new step of a kind, with that kind's defaults. */
export function newStep(kind, index) {
  const name = `step-${index + 1}`;
  switch (kind) {
    case 'transform': return { name, transform: { type: 'mask' } };
    case 'schemaValidation': return { name, schemaValidation: { schema: { type: 'object' } } };
    case 'validJson': return { name, validJson: true };
    case 'inferSchema': return { name, inferSchema: true };
    case 'wasm': return { name, wasm: { module: '' } };
    default: return { name, detective: { type: 'pii_email' } };
  }
}

/** "a, b" → ['a', 'b']; blank → undefined (the field is left out). */
function list(text) {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

/** "k=v" lines → object; blank → undefined. */
function pairs(text) {
  const out = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return Object.keys(out).length ? out : undefined;
}

const pairsText = (obj) => Object.entries(obj || {}).map(([k, v]) => `${k}=${v}`).join('\n');

/** Sets field to value in a copy of obj, leaving the field out when value is blank. */
function withField(obj, field, value) {
  const copy = { ...obj };
  if (value === undefined || value === '' || value === false) delete copy[field];
  else copy[field] = value;
  return copy;
}

export function StepEditor({ step, index, count, modules, onChange, onMove, onRemove }) {
  const kind = kindOf(step);
  const body = step[kind];
  const setBody = (next) => onChange({ ...step, [kind]: next });
  const setKind = (next) => {
    const fresh = newStep(next, index);
    const { detective, transform, schemaValidation, validJson, inferSchema, wasm, ...rest } = step;
    onChange({ ...rest, [next]: fresh[next] });
  };
  return (
    <div class="step" data-testid={`step-${index}`}>
      <div class="form row">
        <Field label="Step name">
          <input name={`step-${index}-name`} value={step.name || ''} onInput={(e) => onChange({ ...step, name: e.target.value })} />
        </Field>
        <Field label="Kind">
          <select name={`step-${index}-kind`} value={kind} onChange={(e) => setKind(e.target.value)}>
            {KINDS.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
          </select>
        </Field>
        {kind === 'detective' && <DetectiveFields index={index} body={body} setBody={setBody} />}
        {kind === 'transform' && <TransformFields index={index} body={body} setBody={setBody} />}
        {kind === 'wasm' && (
          <>
            <Field label="Module">
              <select name={`step-${index}-module`} value={body.module} onChange={(e) => setBody({ ...body, module: e.target.value })}>
                <option value="">choose…</option>
                {modules.map((m) => <option key={m.id} value={m.id}>{m.name || m.id}</option>)}
              </select>
            </Field>
            <Field label="Args (key=value per line)">
              <textarea rows="2" value={pairsText(body.args)} onInput={(e) => setBody(withField(body, 'args', pairs(e.target.value)))} />
            </Field>
          </>
        )}
        <span class="step-buttons">
          <button disabled={index === 0} onClick={() => onMove(-1)} title="Move up">↑</button>
          <button disabled={index === count - 1} onClick={() => onMove(1)} title="Move down">↓</button>
          <button class="danger" onClick={onRemove} title="Remove">✕</button>
        </span>
      </div>
      {kind === 'schemaValidation' && <SchemaField index={index} body={body} setBody={setBody} />}
      <details class="conditions">
        <summary>Conditions</summary>
        <div class="form row">
          {['onTrue', 'onFalse', 'onError'].map((when) => (
            <Condition key={when} index={index} when={when} condition={step[when]}
              onChange={(c) => onChange(withField(step, when, c))} />
          ))}
        </div>
      </details>
    </div>
  );
}

function DetectiveFields({ index, body, setBody }) {
  return (
    <>
      <Field label="Type">
        <select name={`step-${index}-type`} value={body.type} onChange={(e) => setBody({ ...body, type: e.target.value })}>
          {DETECTIVE_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </Field>
      <Field label="Path (/a/b or a.b; blank: whole payload)">
        <input name={`step-${index}-path`} value={body.path || ''} onInput={(e) => setBody(withField(body, 'path', e.target.value))} />
      </Field>
      <Field label="Args (comma-separated)">
        <input name={`step-${index}-args`} value={(body.args || []).join(', ')} onInput={(e) => setBody(withField(body, 'args', list(e.target.value)))} />
      </Field>
      <label class="check"><input type="checkbox" checked={!!body.negate} onChange={(e) => setBody(withField(body, 'negate', e.target.checked))} /> negate</label>
    </>
  );
}

function TransformFields({ index, body, setBody }) {
  const type = body.type;
  const number = (field) => (e) => setBody(withField(body, field, e.target.value === '' ? undefined : Number(e.target.value)));
  return (
    <>
      <Field label="Type">
        <select name={`step-${index}-type`} value={type} onChange={(e) => setBody({ type: e.target.value, path: body.path })}>
          {TRANSFORM_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </Field>
      {type !== 'extract' && (
        <Field label="Path (blank: what the detective matched)">
          <input name={`step-${index}-path`} value={body.path || ''} onInput={(e) => setBody(withField(body, 'path', e.target.value))} />
        </Field>
      )}
      {type === 'truncate' && (
        <>
          <Field label="Length"><input type="number" min="0" value={body.length ?? ''} onInput={number('length')} /></Field>
          <Field label="or percent"><input type="number" min="1" max="100" value={body.percent ?? ''} onInput={number('percent')} /></Field>
        </>
      )}
      {type === 'replace_value' && (
        <Field label="Value (JSON)">
          <input name={`step-${index}-value`} value={body.value === undefined ? '' : JSON.stringify(body.value)} onInput={(e) => {
            try { setBody({ ...body, value: JSON.parse(e.target.value) }); } catch { /* keep typing */ }
          }} />
        </Field>
      )}
      {type === 'extract' && (
        <>
          <Field label="Paths (comma-separated)">
            <input value={(body.paths || []).join(', ')} onInput={(e) => setBody(withField(body, 'paths', list(e.target.value)))} />
          </Field>
          <label class="check"><input type="checkbox" checked={!!body.flatten} onChange={(e) => setBody(withField(body, 'flatten', e.target.checked))} /> flatten</label>
        </>
      )}
    </>
  );
}

function SchemaField({ index, body, setBody }) {
  return (
    <Field label="JSON Schema">
      <textarea name={`step-${index}-schema`} rows="6" defaultValue={JSON.stringify(body.schema, null, 2)}
        onInput={(e) => { try { setBody({ schema: JSON.parse(e.target.value) }); } catch { /* keep typing */ } }} />
    </Field>
  );
}

function Condition({ index, when, condition, onChange }) {
  const c = condition || {};
  const set = (field, value) => {
    const next = withField(c, field, value);
    onChange(Object.keys(next).length ? next : undefined);
  };
  const label = { onTrue: 'On true', onFalse: 'On false', onError: 'On error' }[when];
  return (
    <div class="condition">
      <Field label={label}>
        <select name={`step-${index}-${when}`} value={c.then || ''} onChange={(e) => set('then', e.target.value)}>
          {THEN.map((t) => <option key={t} value={t}>{t || '(default)'}</option>)}
        </select>
      </Field>
      {c.then === 'dead_letter' && (
        <Field label="Dead-letter topic (blank: <topic>.dead-letter)">
          <input value={c.topic || ''} onInput={(e) => set('topic', e.target.value)} />
        </Field>
      )}
      <label class="check"><input type="checkbox" checked={!!c.notify} onChange={(e) => set('notify', e.target.checked)} /> notify</label>
      <Field label="Headers to add (key=value)">
        <textarea rows="1" value={pairsText(c.metadata)} onInput={(e) => set('metadata', pairs(e.target.value))} />
      </Field>
    </div>
  );
}

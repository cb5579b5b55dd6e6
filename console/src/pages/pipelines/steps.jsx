import { useState } from 'preact/hooks';
import { Field } from '../../ui.jsx';
import { Check, ParsedField, jsonObject, jsonOrText, lines, pairs, withField } from './fields.jsx';

// Step kinds, detective and transform types, and conditions as pipelines/README.md describes them.
const KINDS = [
  ['detective', 'Detective (check or find PII)'],
  ['transform', 'Transform'],
  ['schemaValidation', 'JSON Schema'],
  ['validJson', 'Valid JSON'],
  ['inferSchema', 'Infer schema'],
  ['wasm', 'WebAssembly'],
];
const NUMBER = { fields: ['Number'] };
const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
/** What each detective type's args are; a type not listed takes none. */
const DETECTIVE_ARGS = {
  is_type: { choices: JSON_TYPES },
  string_equal: { fields: ['String'] },
  string_contains_any: { lines: 'Strings (one a line)' },
  string_contains_all: { lines: 'Strings (one a line)' },
  regex: { fields: ['Pattern (java.util.regex; anchor with ^…$)'] },
  string_length_min: { fields: ['Min characters'] },
  string_length_max: { fields: ['Max characters'] },
  string_length_range: { fields: ['Min characters', 'Max characters'] },
  numeric_equal_to: NUMBER,
  numeric_greater_than: NUMBER,
  numeric_greater_equal: NUMBER,
  numeric_less_than: NUMBER,
  numeric_less_equal: NUMBER,
  numeric_range: { fields: ['Min', 'Max'] },
  pii_keyword: { lines: 'Keywords (one a line; blank: the built-in list; add "defaults" to extend it)' },
};
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
const CONDITIONS = [['onTrue', 'On true', 'continue'], ['onFalse', 'On false', 'continue'],
  ['onError', 'On error', 'abort_pipeline']];
const THEN = ['continue', 'abort_pipeline', 'abort_all', 'drop', 'dead_letter'];

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

/** One step: its name and kind, the kind's fields, its conditions, and buttons to move or remove it. */
export function StepEditor({ step, index, count, modules, bad, onChange, onMove, onRemove }) {
  const kind = kindOf(step);
  const body = step[kind];
  const setBody = (next) => onChange({ ...step, [kind]: next });
  const setKind = (next) => {
    const { detective, transform, schemaValidation, validJson, inferSchema, wasm, ...rest } = step;
    onChange({ ...rest, [next]: newStep(next, index)[next] });
  };
  const fields = { index, body, setBody };
  const chosen = CONDITIONS.filter(([when]) => step[when]?.then)
    .map(([when, label]) => `${label.toLowerCase()} → ${step[when].then}`);
  // Open at first when the step has conditions; the user opens and closes it after that.
  const [openAtFirst] = useState(chosen.length > 0);
  return (
    <div class={bad ? 'step bad' : 'step'} data-testid={`step-${index}`}>
      <div class="form row">
        <span class="step-number">{index + 1}</span>
        <Field label="Step name">
          <input name={`step-${index}-name`} value={step.name || ''} onInput={(e) => onChange(withField(step, 'name', e.target.value))} />
        </Field>
        <Field label="Kind">
          <select name={`step-${index}-kind`} value={kind} onChange={(e) => setKind(e.target.value)}>
            {KINDS.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
          </select>
        </Field>
        <span class="step-buttons">
          <button disabled={index === 0} onClick={() => onMove(-1)} title="Move up">↑</button>
          <button disabled={index === count - 1} onClick={() => onMove(1)} title="Move down">↓</button>
          <button class="danger" onClick={onRemove} title="Remove">✕</button>
        </span>
      </div>
      <div class="form row step-fields">
        {kind === 'detective' && <DetectiveFields {...fields} />}
        {kind === 'transform' && <TransformFields {...fields} />}
        {kind === 'wasm' && <WasmFields {...fields} modules={modules} />}
        {kind === 'validJson' && <p class="muted">True when the payload is exactly one JSON value, false otherwise.</p>}
        {kind === 'inferSchema' && <p class="muted">Merges the payload's shape into the audience's inferred schema; true for JSON.</p>}
      </div>
      {kind === 'schemaValidation' && (
        <div class="step-fields">
          <ParsedField label="JSON Schema (drafts 4 to 2020-12; checked when saved)" name={`step-${index}-schema`} rows="6"
            value={body.schema} {...jsonObject} onChange={(schema) => setBody({ schema })} />
        </div>
      )}
      <details class="conditions" open={openAtFirst}>
        <summary>Conditions{chosen.length ? `: ${chosen.join(', ')}` : ' (defaults)'}</summary>
        <div class="form row top">
          {CONDITIONS.map(([when, label, fallback]) => (
            <Condition key={when} name={`step-${index}-${when}`} label={label} fallback={fallback}
              condition={step[when]} onChange={(c) => onChange(withField(step, when, c))} />
          ))}
        </div>
      </details>
    </div>
  );
}

function DetectiveFields({ index, body, setBody }) {
  const args = DETECTIVE_ARGS[body.type];
  return (
    <>
      <Field label="Type">
        <select name={`step-${index}-type`} value={body.type}
          onChange={(e) => setBody(withField(withField({ type: e.target.value }, 'path', body.path), 'negate', body.negate))}>
          {DETECTIVE_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </Field>
      <Field label="Path (/a/b or a.b; blank: whole payload)">
        <input name={`step-${index}-path`} value={body.path || ''} onInput={(e) => setBody(withField(body, 'path', e.target.value))} />
      </Field>
      {args && <DetectiveArgs name={`step-${index}-args`} spec={args} args={body.args || []}
        onChange={(next) => setBody(withField(body, 'args', next))} />}
      <Check label="negate" name={`step-${index}-negate`} checked={body.negate} onChange={(on) => setBody(withField(body, 'negate', on))} />
    </>
  );
}

/** A detective's args as its type takes them: a choice, one input per arg, or a list. */
function DetectiveArgs({ name, spec, args, onChange }) {
  if (spec.choices) {
    return (
      <Field label="JSON type">
        <select name={name} value={args[0] || ''} onChange={(e) => onChange(e.target.value ? [e.target.value] : undefined)}>
          <option value="">choose…</option>
          {spec.choices.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </Field>
    );
  }
  if (spec.lines) {
    return <ParsedField label={spec.lines} name={name} rows="2" value={args.length ? args : undefined} {...lines} onChange={onChange} />;
  }
  const set = (i, text) => {
    const next = spec.fields.map((_, j) => (j === i ? text : args[j] ?? ''));
    onChange(next.some((a) => a !== '') ? next : undefined);
  };
  return (
    <>
      {spec.fields.map((label, i) => (
        <Field key={label} label={label}>
          <input name={`${name}-${i}`} value={args[i] ?? ''} onInput={(e) => set(i, e.target.value)} />
        </Field>
      ))}
    </>
  );
}

function TransformFields({ index, body, setBody }) {
  const { type } = body;
  const number = (field) => (e) => setBody(withField(body, field, e.target.value === '' ? undefined : Number(e.target.value)));
  // Another type's fields would be refused: a new type keeps only the path (extract takes none).
  const setType = (next) => setBody(next === 'extract' ? { type: next } : withField({ type: next }, 'path', body.path));
  return (
    <>
      <Field label="Type">
        <select name={`step-${index}-type`} value={type} onChange={(e) => setType(e.target.value)}>
          {TRANSFORM_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </Field>
      {type !== 'extract' && (
        <Field label="Path (blank: what the last detective matched)">
          <input name={`step-${index}-path`} value={body.path || ''} onInput={(e) => setBody(withField(body, 'path', e.target.value))} />
        </Field>
      )}
      {type === 'truncate' && (
        <>
          <Field label="Keep characters"><input name={`step-${index}-length`} type="number" min="0" value={body.length ?? ''} onInput={number('length')} /></Field>
          <Field label="or percent"><input name={`step-${index}-percent`} type="number" min="1" max="100" value={body.percent ?? ''} onInput={number('percent')} /></Field>
        </>
      )}
      {type === 'replace_value' && (
        <ParsedField label="New value (JSON; other text is a string)" name={`step-${index}-value`} value={body.value}
          {...jsonOrText} onChange={(value) => setBody(value === undefined ? withField(body, 'value') : { ...body, value })} />
      )}
      {type === 'extract' && (
        <>
          <ParsedField label="Paths to keep (one a line)" name={`step-${index}-paths`} rows="2" value={body.paths}
            {...lines} onChange={(paths) => setBody(withField(body, 'paths', paths))} />
          <Check label="flatten" name={`step-${index}-flatten`} checked={body.flatten} onChange={(on) => setBody(withField(body, 'flatten', on))} />
        </>
      )}
    </>
  );
}

function WasmFields({ index, body, setBody, modules }) {
  const known = modules.some((m) => m.id === body.module);
  return (
    <>
      <Field label="Module (upload with POST /v1/wasm)">
        <select name={`step-${index}-module`} value={body.module || ''} onChange={(e) => setBody({ ...body, module: e.target.value })}>
          <option value="">choose…</option>
          {!known && body.module && <option value={body.module}>{body.module} (not uploaded)</option>}
          {modules.map((m) => <option key={m.id} value={m.id}>{m.id} ({m.size} bytes)</option>)}
        </select>
      </Field>
      <ParsedField label="Args (key=value, one a line)" name={`step-${index}-wasm-args`} rows="2" value={body.args}
        {...pairs} onChange={(args) => setBody(withField(body, 'args', args))} />
    </>
  );
}

/** What happens on one answer: the action, its dead-letter topic, headers to add, and a notification. */
function Condition({ name, label, fallback, condition, onChange }) {
  const c = condition || {};
  const change = (next) => {
    const clean = next.then === 'dead_letter' ? next : withField(next, 'topic');
    onChange(Object.keys(clean).length ? clean : undefined);
  };
  const set = (field, value) => change(withField(c, field, value));
  return (
    <div class="condition">
      <Field label={label}>
        <select name={name} value={c.then || ''} onChange={(e) => set('then', e.target.value)}>
          <option value="">{`(default: ${fallback})`}</option>
          {THEN.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </Field>
      {c.then === 'dead_letter' && (
        <Field label="Dead-letter topic (blank: <topic>.dead-letter)">
          <input name={`${name}-topic`} value={c.topic || ''} onInput={(e) => set('topic', e.target.value)} />
        </Field>
      )}
      <ParsedField label="Headers to add (key=value)" name={`${name}-metadata`} rows="1" value={c.metadata} {...pairs}
        onChange={(metadata) => set('metadata', metadata)} />
      <Check label="notify (event on sluice.ops)" name={`${name}-notify`} checked={c.notify || c.webhook}
        onChange={(on) => change(on ? { ...c, notify: true } : withField(withField(c, 'notify'), 'webhook'))} />
      {(c.notify || c.webhook) && (
        <Field label="Webhook (also POST the event here)">
          <input name={`${name}-webhook`} value={c.webhook || ''} onInput={(e) => set('webhook', e.target.value)} />
        </Field>
      )}
    </div>
  );
}

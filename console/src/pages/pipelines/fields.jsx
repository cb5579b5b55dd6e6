import { useEffect, useState } from 'preact/hooks';
import { Field } from '../../ui.jsx';

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * An input for a value written as text (a list, key=value lines, JSON): keeps the text as typed (a trailing comma,
 * an unfinished line), hands on the parsed value, and says why text does not parse. When the value changes from
 * outside (a step moved, the JSON view edited), the text follows it.
 */
export function ParsedField({ label, name, value, format, parse, onChange, rows }) {
  const [text, setText] = useState(() => format(value));
  const [error, setError] = useState(null);
  useEffect(() => {
    let follows = false;
    try { follows = same(parse(text), value); } catch { /* the text is not the value */ }
    if (!follows) {
      setText(format(value));
      setError(null);
    }
  }, [JSON.stringify(value)]);
  const input = (e) => {
    setText(e.target.value);
    try {
      onChange(parse(e.target.value));
      setError(null);
    } catch (err) {
      setError(err.message);
    }
  };
  return (
    <Field label={label}>
      {rows ? <textarea name={name} rows={rows} value={text} onInput={input} />
        : <input name={name} value={text} onInput={input} />}
      {error && <small class="error">{error}</small>}
    </Field>
  );
}

/** Lines of text ↔ a list of strings; no lines → undefined (the field is left out). */
export const lines = {
  format: (list) => (list || []).join('\n'),
  parse: (text) => {
    const items = text.split('\n').filter((line) => line.trim() !== '');
    return items.length ? items : undefined;
  },
};

/** key=value lines ↔ an object of strings; none → undefined. */
export const pairs = {
  format: (obj) => Object.entries(obj || {}).map(([k, v]) => `${k}=${v}`).join('\n'),
  parse: (text) => {
    const out = {};
    for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
      const eq = line.indexOf('=');
      if (eq <= 0) throw new Error(`"${line}" is not key=value`);
      out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    return Object.keys(out).length ? out : undefined;
  },
};

/** Any JSON value; text that is not JSON is taken as a string. Blank → undefined. */
export const jsonOrText = {
  format: (value) => {
    if (value === undefined) return '';
    if (typeof value === 'string') {
      try { JSON.parse(value); } catch { return value; }
    }
    return JSON.stringify(value);
  },
  parse: (text) => {
    if (text.trim() === '') return undefined;
    try { return JSON.parse(text); } catch { return text; }
  },
};

/** A JSON object, pretty-printed. */
export const jsonObject = {
  format: (value) => JSON.stringify(value ?? {}, null, 2),
  parse: (text) => {
    const value = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('must be a JSON object');
    return value;
  },
};

/** A copy of obj with field set to value, or without the field when value is blank. */
export function withField(obj, field, value) {
  const copy = { ...obj };
  if (value === undefined || value === '' || value === false) delete copy[field];
  else copy[field] = value;
  return copy;
}

export function Check({ label, checked, onChange, name }) {
  return (
    <label class="check">
      <input type="checkbox" name={name} checked={!!checked} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

// Every action of the console goes through the public REST API, with the token the user logged in with.
const TOKEN_KEY = 'sluice.token';

export function savedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * An answer other than 2xx; message and code are the API's own ({"error": {"code", "message"}}), and step the
 * pipeline step an invalid_pipeline names ({index, name}), when it does.
 */
export class ApiError extends Error {
  constructor(status, code, message, step) {
    super(message);
    this.status = status;
    this.code = code;
    this.step = step;
  }
}

function headers(extra) {
  const all = { ...extra };
  const token = savedToken();
  if (token) all.Authorization = `Bearer ${token}`;
  return all;
}

/**
 * Calls the API. body: an object (sent as JSON), a Blob/ArrayBuffer/string (sent as is with contentType), or
 * undefined. Resolves to the parsed JSON (or text for non-JSON answers, null for 204).
 */
export async function api(method, path, body, contentType) {
  // Never from the browser's cache: a run that was 404 a moment ago exists now.
  const init = { method, headers: headers(), cache: 'no-store' };
  if (body !== undefined) {
    if (typeof body === 'object' && !(body instanceof Blob) && !(body instanceof ArrayBuffer)) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    } else {
      init.body = body;
      init.headers['Content-Type'] = contentType || 'application/octet-stream';
    }
  }
  const response = await fetch(path, init);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const payload = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const error = typeof payload === 'object' && payload ? payload.error || {} : { message: payload };
    const message = error.message;
    const code = error.code || 'error';
    throw new ApiError(response.status, code, message || `${method} ${path}: ${response.status}`, error.step);
  }
  return payload;
}

export const get = (path) => api('GET', path);

/**
 * Reads a Server-Sent Events stream with fetch (EventSource cannot send the bearer token) and calls onEvent(name,
 * data) for each event until the signal aborts.
 */
export async function stream(path, onEvent, signal) {
  const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal });
  if (!response.ok) throw new ApiError(response.status, 'error', await response.text());
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(name, data.join('\n'));
    }
  }
}

import { useState } from 'preact/hooks';
import { api, get } from '../../api.js';
import { Action, Loading, Table, useLoad } from '../../ui.jsx';
import { Attach, Audiences } from './audiences.jsx';
import { Editor } from './editor.jsx';
import { newStep } from './steps.jsx';

const EXAMPLE = {
  id: 'mask-emails',
  name: 'Mask e-mail addresses',
  steps: [
    { name: 'find', detective: { type: 'pii_email' } },
    { name: 'mask', transform: { type: 'mask' } },
  ],
};
const BLANK = { id: '', name: '', steps: [newStep('detective', 0)] };

export function Pipelines() {
  const pipelines = useLoad(() => get('/v1/pipelines'));
  const audiences = useLoad(() => get('/v1/audiences'));
  const modules = useLoad(() => get('/v1/wasm').catch(() => ({ modules: [] })));
  // Each load into the editor starts it afresh (a new key), open.
  const [editing, setEditing] = useState({ pipeline: EXAMPLE, open: false, loads: 0 });
  const edit = (pipeline) => setEditing({ pipeline, open: true, loads: editing.loads + 1 });
  return (
    <section>
      <h1>Pipelines</h1>
      <p><button onClick={() => edit(BLANK)}>New pipeline</button></p>
      <Editor key={editing.loads} initial={editing.pipeline} open={editing.open} modules={modules.data?.modules || []}
        onSaved={pipelines.reload} />
      <Loading state={pipelines}>{(data) => (
        <Table testId="pipelines" rows={(data.pipelines || []).map((p) => ({ ...p, key: p.id }))} columns={[
          { title: 'Id', render: (p) => <button class="link" title="Change it" onClick={() => edit(definition(p))}>{p.id}</button> },
          { title: 'Name', render: (p) => p.name },
          { title: 'Version', render: (p) => p.version },
          { title: 'Steps', render: (p) => (p.steps || []).map((s) => s.name).join(' → ') },
          { title: 'Attached to', render: (p) => (p.attachedTo || []).join(', ') },
          { title: '', render: (p) => <Action kind="danger" confirm={`Delete pipeline ${p.id}?`}
            run={async () => { await api('DELETE', `/v1/pipelines/${encodeURIComponent(p.id)}`); pipelines.reload(); }}>
            Delete</Action> },
        ]} />
      )}</Loading>
      <h2>Audiences</h2>
      <Attach pipelines={pipelines.data?.pipelines || []} onAttached={() => { audiences.reload(); pipelines.reload(); }} />
      <Loading state={audiences}>{(data) => (
        <Audiences audiences={data.audiences || []} onChanged={() => { audiences.reload(); pipelines.reload(); }} />
      )}</Loading>
    </section>
  );
}

/** The definition as the API takes it (without what the API adds when it answers: version, attachedTo). */
function definition(pipeline) {
  const { id, name, steps } = pipeline;
  return { id, name, steps };
}

import { get } from '../api.js';
import { Loading, Table, link, useLoad } from '../ui.jsx';
import { Charts } from './charts.jsx';

/** What the overview needs, fetched in parallel; a part that fails (say, no sinks component) is empty. */
async function loadOverview() {
  const quietly = (path, field) => get(path).then((body) => body[field] || []).catch(() => []);
  const [stats, topics, groups, sources, sinks, pipelines, clients, services, triggers, audiences] = await Promise.all([
    get('/v1/stats').catch(() => null),
    quietly('/v1/topics', 'topics'), quietly('/v1/groups', 'groups'), quietly('/v1/sources', 'sources'),
    quietly('/v1/sinks', 'sinks'), quietly('/v1/pipelines', 'pipelines'), quietly('/v1/clients', 'clients'),
    quietly('/v1/services', 'services'), quietly('/v1/triggers', 'triggers'), quietly('/v1/audiences', 'audiences'),
  ]);
  const described = await Promise.all(groups.map((g) => get(`/v1/groups/${encodeURIComponent(g.groupId)}`)
    .catch(() => ({ ...g, members: [] }))));
  return { stats, topics, groups: described, sources, sinks, pipelines, clients, services, triggers, audiences };
}

export function Overview() {
  const state = useLoad(loadOverview);
  return (
    <section>
      <h1>Overview</h1>
      <Loading state={state}>{(data) => (
        <div>
          <div class="cards">
            <Card to="/topics" label="Topics" value={data.topics.length} />
            <Card to="/overview" label="Consumer groups" value={data.groups.length} />
            <Card to="/overview" label="Kafka connections" value={data.stats ? data.stats.connections : '–'} />
            <Card to="/overview" label="SDK clients" value={data.clients.length} />
            <Card to="/pipelines" label="Pipelines" value={data.pipelines.length} />
            <Card to="/sources" label="Sources" value={data.sources.length} />
            <Card to="/sinks" label="Sinks" value={data.sinks.length} />
            <Card to="/services" label="Services" value={data.services.length} />
          </div>
          <h2>What flows where</h2>
          <FlowGraph data={data} />
          <LiveClients data={data} />
          <Charts />
        </div>
      )}</Loading>
    </section>
  );
}

/** Who is connected now: SDK sessions (control plane) and the members of consumer groups (Kafka clients). */
function LiveClients({ data }) {
  const rows = [
    ...data.clients.map((c, i) => ({
      key: `sdk-${i}`, kind: 'SDK', name: c.service || c.clientId || '', host: c.host || '',
      what: (c.audiences || []).map((a) => `${a.direction} ${a.topic}`).join(', '),
    })),
    ...data.groups.flatMap((g) => (g.members || []).map((m) => ({
      key: `${g.groupId}-${m.memberId}`, kind: 'Kafka consumer', name: m.clientId, host: m.host,
      what: `group ${g.groupId}: ${[...new Set((m.partitions || []).map((p) => p.topic))].join(', ')}`,
    }))),
  ];
  return (
    <div>
      <h2>Live clients</h2>
      <Table testId="clients" rows={rows} empty="No SDK sessions or consumer group members right now." columns={[
        { title: 'Kind', render: (r) => r.kind },
        { title: 'Client', render: (r) => r.name },
        { title: 'Host', render: (r) => r.host },
        { title: 'Reads or writes', render: (r) => r.what },
      ]} />
    </div>
  );
}

function Card({ to, label, value }) {
  return <a class="card" href={link(to)}><strong>{value}</strong><span>{label}</span></a>;
}

/** Producers → topics → consumers, with sources, SDK clients, groups, sinks and the services router on it. */
function FlowGraph({ data }) {
  const producers = [];
  const consumers = [];
  const edges = [];
  const topicNames = data.topics.map((t) => t.name);
  for (const source of data.sources) {
    producers.push({ id: `source:${source.name}`, label: `HTTP source ${source.name}` });
    edges.push([`source:${source.name}`, `topic:${source.topic}`]);
  }
  for (const client of data.clients) {
    const id = `sdk:${client.service || client.clientId || client.id}`;
    for (const audience of client.audiences || []) {
      const side = audience.direction === 'consume' ? consumers : producers;
      if (!side.some((n) => n.id === id)) side.push({ id, label: `SDK ${client.service || ''}`.trim() });
      if (audience.direction === 'consume') edges.push([`topic:${audience.topic}`, id]);
      else edges.push([id, `topic:${audience.topic}`]);
    }
  }
  for (const group of data.groups) {
    const id = `group:${group.groupId}`;
    consumers.push({ id, label: `group ${group.groupId}` });
    const topics = new Set((group.offsets || []).map((o) => o.topic));
    for (const member of group.members || []) for (const p of member.partitions || []) topics.add(p.topic);
    for (const topic of topics) edges.push([`topic:${topic}`, id]);
  }
  for (const sink of data.sinks) {
    consumers.push({ id: `sink:${sink.name}`, label: `sink ${sink.name}` });
    for (const topic of sink.topics || []) edges.push([`topic:${topic}`, `sink:${sink.name}`]);
  }
  for (const service of data.services) {
    consumers.push({ id: `service:${service.name}`, label: `service ${service.name}` });
  }
  if (data.services.length && topicNames.includes('sluice.events')) {
    for (const service of data.services) edges.push(['topic:sluice.events', `service:${service.name}`]);
  }
  const used = new Set(edges.flat());
  // A topic shows the pipelines attached to its producers (→) and consumers (←).
  const piped = {};
  for (const audience of data.audiences) {
    const mark = `${audience.direction === 'consume' ? '←' : '→'} ${(audience.pipelines || []).join(', ')}`;
    (piped[audience.topic] ||= []).push(mark);
  }
  const topics = topicNames.filter((t) => used.has(`topic:${t}`) || piped[t] || topicNames.length <= 12)
    .map((t) => ({ id: `topic:${t}`, label: piped[t] ? `${t}  ${piped[t].join(' ')}` : t }));
  const columns = [producers, topics, consumers];
  const rowHeight = 34;
  const width = 940;
  const colX = [20, 350, 680];
  const boxWidth = 240;
  const height = Math.max(80, ...columns.map((c) => c.length * rowHeight + 20));
  const position = {};
  columns.forEach((column, c) => column.forEach((node, i) => {
    position[node.id] = { x: colX[c], y: 10 + i * rowHeight };
  }));
  return (
    <svg class="flow" data-testid="flow" viewBox={`0 0 ${width} ${height}`} width="100%" role="img"
      aria-label="producers, topics and consumers">
      {edges.filter(([a, b]) => position[a] && position[b]).map(([a, b]) => {
        const from = position[a];
        const to = position[b];
        const x1 = from.x + boxWidth;
        const y1 = from.y + 12;
        const y2 = to.y + 12;
        return <path key={`${a}>${b}`} d={`M${x1},${y1} C${x1 + 50},${y1} ${to.x - 50},${y2} ${to.x},${y2}`} />;
      })}
      {columns.flat().map((node) => (
        <g key={node.id} transform={`translate(${position[node.id].x},${position[node.id].y})`}>
          <rect width={boxWidth} height="24" rx="4" class={node.id.split(':')[0]} />
          <text x="8" y="16">{node.label.length > 34 ? `${node.label.slice(0, 33)}…` : node.label}</text>
        </g>
      ))}
      {!columns.flat().length && <text x="20" y="40">Nothing flows yet: create a topic and produce to it.</text>}
    </svg>
  );
}

import { get } from '../api.js';
import { Loading, Table, link, useLoad } from '../ui.jsx';
import { Charts } from './charts.jsx';

/** What the overview needs, fetched in parallel; a part that fails (say, no sinks component) is empty. */
async function loadOverview() {
  const quietly = (path, field) => get(path).then((body) => body[field] || []).catch(() => []);
  const [stats, topics, groups, sources, sinks, pipelines, clients, services, triggers, audiences, connections] =
    await Promise.all([
    get('/v1/stats').catch(() => null),
    quietly('/v1/topics', 'topics'), quietly('/v1/groups', 'groups'), quietly('/v1/sources', 'sources'),
    quietly('/v1/sinks', 'sinks'), quietly('/v1/pipelines', 'pipelines'), quietly('/v1/clients', 'clients'),
    quietly('/v1/services', 'services'), quietly('/v1/triggers', 'triggers'), quietly('/v1/audiences', 'audiences'),
    // Only a node that runs the broker lists its connections (503 elsewhere): null then, and groups stand in.
    get('/v1/connections').then((body) => body.connections).catch(() => null),
  ]);
  const described = await Promise.all(groups.map((g) => get(`/v1/groups/${encodeURIComponent(g.groupId)}`)
    .catch(() => ({ ...g, members: [] }))));
  return {
    stats, topics, groups: described, sources, sinks, pipelines, clients, services, triggers, audiences, connections,
  };
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
            <Card to="/overview" label="Kafka connections"
              value={data.connections ? data.connections.length : data.stats ? data.stats.connections : '–'} />
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

/** Sluice's own clients (HTTP, services, SDK sessions) name themselves so; the graph shows them as what they serve. */
const internal = (connection) => (connection.clientId || '').startsWith('sluice-');

/** A client's connections as one: Kafka clients open several (bootstrap, then one per broker and coordinator). */
function byClient(connections) {
  const clients = new Map();
  for (const c of connections) {
    const host = c.address.replace(/:\d+$/, '');
    const key = `${c.clientId || c.address}@${host}`;
    const client = clients.get(key) || {
      key, clientId: c.clientId, host, connections: 0, software: '', produces: new Set(), fetches: new Set(),
      groups: new Set(),
    };
    client.connections += 1;
    client.software ||= [c.softwareName, c.softwareVersion].filter(Boolean).join(' ');
    c.producesTo.forEach((t) => client.produces.add(t));
    c.fetchesFrom.forEach((t) => client.fetches.add(t));
    c.groups.forEach((g) => client.groups.add(g));
    clients.set(key, client);
  }
  return [...clients.values()];
}

/** What a Kafka client does, from the topics and groups it used. */
function kafkaKind(client) {
  const produces = client.produces.size > 0;
  const fetches = client.fetches.size > 0;
  const role = produces && fetches ? 'producer, consumer' : produces ? 'producer' : fetches ? 'consumer'
    : client.groups.size ? 'group member' : 'connected';
  return `${internal(client) ? 'Sluice' : 'Kafka'} ${role}`;
}

/**
 * Who is connected now: Kafka clients as the broker lists their connections, and SDK sessions (control plane).
 * Where the node runs no broker, the members of consumer groups stand in for the Kafka clients.
 */
function LiveClients({ data }) {
  const kafka = data.connections
    ? byClient(data.connections).map((c) => ({
      key: `kafka-${c.key}`, kind: kafkaKind(c), name: c.clientId || '', library: c.software,
      host: c.connections > 1 ? `${c.host} (${c.connections} connections)` : c.host,
      what: [
        c.produces.size ? `produces to ${[...c.produces].join(', ')}` : '',
        c.fetches.size ? `fetches ${[...c.fetches].join(', ')}` : '',
        c.groups.size ? `group ${[...c.groups].join(', ')}` : '',
      ].filter(Boolean).join('; '),
    }))
    : data.groups.flatMap((g) => (g.members || []).map((m) => ({
      key: `${g.groupId}-${m.memberId}`, kind: 'Kafka consumer', name: m.clientId, host: m.host, library: '',
      what: `group ${g.groupId}: ${[...new Set((m.partitions || []).map((p) => p.topic))].join(', ')}`,
    })));
  const rows = [
    ...data.clients.map((c, i) => ({
      key: `sdk-${i}`, kind: 'SDK', name: c.service || c.clientId || '', host: c.host || '',
      library: c.library || '',
      what: (c.audiences || []).map((a) => `${a.direction} ${a.topic}`).join(', '),
    })),
    ...kafka,
  ];
  return (
    <div>
      <h2>Live clients</h2>
      <Table testId="clients" rows={rows} empty="No Kafka connections or SDK sessions right now." columns={[
        { title: 'Kind', render: (r) => r.kind },
        { title: 'Client', render: (r) => r.name },
        { title: 'Library', render: (r) => r.library },
        { title: 'Address', render: (r) => r.host },
        { title: 'Reads or writes', render: (r) => r.what },
      ]} />
    </div>
  );
}

function Card({ to, label, value }) {
  return <a class="card" href={link(to)}><strong>{value}</strong><span>{label}</span></a>;
}

/**
 * Producers → topics → consumers, with Kafka clients, sources, SDK clients, groups, sinks and the services router on
 * it. A Kafka client is one node per client id; one in a consumer group is drawn as its group.
 */
function FlowGraph({ data }) {
  const producers = [];
  const consumers = [];
  const edges = [];
  const topicNames = data.topics.map((t) => t.name);
  for (const connection of (data.connections || []).filter((c) => !internal(c))) {
    const id = `kafka:${connection.clientId || connection.address}`;
    const label = `Kafka ${connection.clientId || connection.address}`;
    if (connection.producesTo.length && !producers.some((n) => n.id === id)) producers.push({ id, label });
    for (const topic of connection.producesTo) edges.push([id, `topic:${topic}`]);
    if (connection.groups.length) continue;
    if (connection.fetchesFrom.length && !consumers.some((n) => n.id === id)) consumers.push({ id, label });
    for (const topic of connection.fetchesFrom) edges.push([`topic:${topic}`, id]);
  }
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
  // Sluice's own groups (sinks', the services router's) are drawn as the sink or service itself.
  const own = (g) => g.groupId.startsWith('sluice-sink-') || g.groupId.startsWith('sluice-services');
  for (const group of data.groups.filter((g) => !own(g))) {
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

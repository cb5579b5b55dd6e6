import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { get } from '../api.js';

const WINDOW_SECONDS = 300;
const POLL_MS = 2000;

/**
 * Rates from /v1/stats (cumulative counters sampled every 2 s): records in and out per second, mean produce and
 * fetch latency per interval, the largest consumer lag; the last five minutes, kept in this page only. With a
 * topic, that topic's records and lag only (request latency is not kept per topic).
 */
export function Charts({ topic }) {
  const [samples, setSamples] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => {
    let live = true;
    const poll = () => get('/v1/stats').then((stats) => {
      if (!live) return;
      setError(null);
      setSamples((all) => [...all, stats].filter((s) => s.time >= stats.time - WINDOW_SECONDS * 1000));
    }, (e) => live && setError(e));
    poll();
    const id = setInterval(poll, POLL_MS);
    return () => { live = false; clearInterval(id); };
  }, []);
  if (error) return <p class="muted">Metrics are not available here: {error.message}</p>;
  const series = rates(topic ? samples.map((s) => only(s, topic)) : samples);
  return (
    <div class="charts" data-testid="charts" data-points={series.length}>
      <Chart title="Records per second" series={series} fields={[['in', 'recordsIn'], ['out', 'recordsOut']]} />
      {!topic && <Chart title="Mean Kafka request latency (ms)" series={series}
        fields={[['produce', 'produceMs'], ['fetch', 'fetchMs']]} />}
      <Chart title="Largest consumer lag (records)" series={series} fields={[['lag', 'maxLag']]} />
    </div>
  );
}

/** A sample's counters and lag for one topic. */
function only(sample, topic) {
  return { ...sample, topics: sample.topics.filter((t) => t.topic === topic),
    lag: sample.lag.filter((l) => l.topic === topic) };
}

/** Per interval between two samples: counter deltas over seconds, timer total over count. */
function rates(samples) {
  const points = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const seconds = (b.time - a.time) / 1000;
    if (seconds <= 0) continue;
    const sum = (s, f) => s.topics.reduce((n, t) => n + (t[f] || 0), 0);
    const mean = (api) => {
      const count = (b.requests[api]?.count || 0) - (a.requests[api]?.count || 0);
      const total = (b.requests[api]?.totalMs || 0) - (a.requests[api]?.totalMs || 0);
      return count > 0 ? total / count : 0;
    };
    points.push({
      time: b.time / 1000,
      recordsIn: Math.max(0, sum(b, 'recordsIn') - sum(a, 'recordsIn')) / seconds,
      recordsOut: Math.max(0, sum(b, 'recordsOut') - sum(a, 'recordsOut')) / seconds,
      produceMs: mean('produce'),
      fetchMs: mean('fetch'),
      maxLag: b.lag.reduce((n, l) => Math.max(n, l.lag), 0),
    });
  }
  return points;
}

function Chart({ title, series, fields }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const colors = ['#2563eb', '#16a34a', '#dc2626'];
    plot.current = new uPlot({
      width: 420, height: 180, title,
      series: [{}, ...fields.map(([label], i) => ({ label, stroke: colors[i], width: 2, points: { size: 4 } }))],
      // Always the last five minutes, so a few first points do not stretch the axis over years.
      scales: { x: { time: true, range: () => [Date.now() / 1000 - WINDOW_SECONDS, Date.now() / 1000] } },
      axes: [{}, { size: 60 }],
    }, [[], ...fields.map(() => [])], box.current);
    return () => plot.current.destroy();
  }, []);
  useEffect(() => {
    plot.current.setData([series.map((p) => p.time), ...fields.map(([, f]) => series.map((p) => p[f]))]);
  }, [series]);
  return <div class="chart" ref={box} />;
}

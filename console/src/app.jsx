import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, saveToken, savedToken } from './api.js';
import { Login } from './pages/login.jsx';
import { Overview } from './pages/overview.jsx';
import { Topics, TopicDetail } from './pages/topics.jsx';
import { Pipelines } from './pages/pipelines/index.jsx';
import { Sources, Sinks } from './pages/connectors.jsx';
import { Services, ServiceDetail, RunDetail } from './pages/services.jsx';

const NAV = [
  ['/overview', 'Overview'],
  ['/topics', 'Topics'],
  ['/pipelines', 'Pipelines'],
  ['/sources', 'Sources'],
  ['/sinks', 'Sinks'],
  ['/services', 'Services'],
];

function currentPath() {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/overview';
}

/** Hash routes: #/topics/orders → ['topics', 'orders']. */
function page(path) {
  const [section, ...rest] = path.slice(1).split('/').map(decodeURIComponent);
  switch (section) {
    case 'topics': return rest.length ? <TopicDetail name={rest.join('/')} /> : <Topics />;
    case 'pipelines': return <Pipelines />;
    case 'sources': return <Sources />;
    case 'sinks': return <Sinks />;
    case 'services': return rest.length ? <ServiceDetail name={rest[0]} /> : <Services />;
    case 'runs': return <RunDetail id={rest[0]} />;
    default: return <Overview />;
  }
}

export function App() {
  const [path, setPath] = useState(currentPath());
  // null: checking; true: the API answers with our token (or needs none); false: log in first.
  const [authorized, setAuthorized] = useState(null);

  useEffect(() => {
    const onHash = () => setPath(currentPath());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    get('/v1/topics').then(() => setAuthorized(true), (e) => {
      setAuthorized(!(e instanceof ApiError && e.status === 401));
    });
  }, []);

  if (authorized === null) return <p class="muted center">Connecting…</p>;
  if (!authorized) return <Login onLogin={() => setAuthorized(true)} />;

  const logout = () => {
    saveToken(null);
    setAuthorized(false);
  };
  const section = '/' + path.slice(1).split('/')[0];
  return (
    <div class="shell">
      <nav>
        <a class="brand" href="#/overview">Sluice</a>
        {NAV.map(([to, label]) => (
          <a key={to} href={`#${to}`} class={section === to ? 'active' : ''}>{label}</a>
        ))}
        {savedToken() && <button class="link logout" onClick={logout}>Log out</button>}
      </nav>
      <main>{page(path)}</main>
    </div>
  );
}

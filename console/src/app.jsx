export function App() {
  return <h1>Sluice</h1>;
}

import { defineConfig } from 'vite';

// Built by Maven (console/build.sh) into the jar's resources; served by the HTTP listener at /. Relative asset paths
// so the console works behind a path prefix too. No CDN: everything it loads is in the bundle.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'target/classes/dev/sluice/console/webroot',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 300,
  },
});

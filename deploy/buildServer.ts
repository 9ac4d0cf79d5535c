/**
 * Compiles the service (src/main.ts and what it imports, packages left to node_modules) into one
 * JavaScript file, dist/server/main.js, which `npm start` runs, and the batch jobs' sealing thread
 * beside it, sealingWorker.js. Node then loads no TypeScript loader and keeps no transpiled copies
 * or source maps of ~400 files: the idle service holds some 50 MB less (BENCHMARKS.md, issue 17).
 * Built on every start (about a second), so it never runs older code than the checkout. The file
 * sits two folders below the project root, as the modules that find files from their own folder
 * (src/store/db/providers.ts, src/api/consoleRoutes.ts) do, so their paths resolve the same
 * compiled or not.
 */
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '..');
const SERVER_FOLDER = path.join(root, 'dist', 'server');

build({
  // The sealing worker is a script of its own, started by path beside main.js (src/store/crypto/sealingThread.ts).
  entryPoints: {
    main: path.join(root, 'src', 'main.ts'),
    sealingWorker: path.join(root, 'src', 'store', 'crypto', 'sealingWorker.ts'),
  },
  outdir: SERVER_FOLDER,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  // Function and class names stay readable in logged stack traces.
  keepNames: true,
  logLevel: 'warning',
}).catch((error: unknown) => {
  process.stderr.write(`The service did not compile: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

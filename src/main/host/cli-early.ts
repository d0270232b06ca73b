import { startEarly } from '../services/hygiene/worker-start'

/**
 * Work the CLI starts before it loads its modules. cli.ts imports this module first, so it runs before the
 * backend's ~0.3 s of module loading: `hygiene ingest` starts its classification workers here, and they boot on
 * another core meanwhile. A run too small for workers (services/hygiene/ingestor.ts POOL_AFTER) leaves them idle;
 * they are unref'd and end with the process.
 */
export function startEarlyWork(argv: string[]): void {
  // The command words may follow options (`--data DIR hygiene ingest …`); a false match only leaves workers idle.
  if (argv.some((a, i) => a === 'hygiene' && argv[i + 1] === 'ingest')) startEarly()
}

// Only when this process is the CLI (bin/delivery-desk.cjs, the built out/main/cli.js, or cli.ts through tsx), never
// in a test or a host that imports cli.ts.
if (require.main && /[\\/](cli\.[jt]s|delivery-desk\.cjs)$/.test(require.main.filename))
  startEarlyWork(process.argv.slice(2))

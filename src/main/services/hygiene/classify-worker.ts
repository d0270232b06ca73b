import { parentPort } from 'node:worker_threads'
import { classifyMessage } from '../../core/hygiene/light'

/**
 * A worker thread of the ingest's classification pool (classify-pool.ts): bytes in, classification out. Loads only
 * the parsing and classification modules (no database, no DNS, no mailauth), so it starts quickly.
 */
export interface ClassifyJob {
  id: number
  name: string
  bytes: Uint8Array
  maxBytes: number
}

const port = parentPort
if (port) {
  port.on('message', (jobs: ClassifyJob[]) => {
    void (async () => {
      const out = []
      for (const j of jobs)
        out.push({ id: j.id, outcome: await classifyMessage(j.bytes, j.name, j.maxBytes) })
      port.postMessage(out)
    })()
  })
}

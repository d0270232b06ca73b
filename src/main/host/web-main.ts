import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { startBackend } from './backend'
import { resolveDataDir } from './data-dir'
import { startWebHost } from './http'

/** `npm run web` / the `npm start` fallback: the desktop UI in your browser, served on loopback only. */
export async function runWeb(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const dataDir = resolveDataDir(arg('--data'))
  const candidates = [
    process.env.DELIVERY_DESK_STATIC,
    join(__dirname, '../renderer'),
    resolve('out/renderer')
  ].filter((p): p is string => !!p)
  const staticDir = candidates.find((p) => existsSync(join(p, 'index.html')))
  if (!staticDir) {
    console.error('The UI is not built yet: run `npm run build:app` (npm start does this for you).')
    process.exit(1)
  }
  const backend = startBackend({ dataDir, host: 'web' })
  const host = await startWebHost({
    backend,
    staticDir,
    port: Number(arg('--port') ?? process.env.DELIVERY_DESK_PORT ?? 0),
    token: process.env.DELIVERY_DESK_TOKEN
  })
  console.log(`Delivery Desk is running at ${host.url}`)
  console.log(`Data: ${backend.ctx.dbFile}`)
  const stop = async () => {
    await host.close()
    backend.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (require.main === module) {
  runWeb(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e)
    process.exit(1)
  })
}

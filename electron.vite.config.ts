import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import react from '@vitejs/plugin-react'

const alias = { '@shared': resolve(__dirname, 'src/shared') }

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias },
    build: {
      // web.js and cli.js run on the system Node (package.json engines: >=20.19), not on Electron's newer Node, so the
      // main bundle targets the oldest Node it meets instead of the target electron-vite derives from Electron 45.
      target: 'node20.19',
      rollupOptions: {
        // index = Electron main; web = the loopback web host; cli = the command line. web and cli never import electron.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          web: resolve(__dirname, 'src/main/host/web-main.ts'),
          cli: resolve(__dirname, 'src/main/host/cli.ts'),
          // the sending-health ingest's worker threads (src/main/services/hygiene/classify-pool.ts)
          'hygiene-worker': resolve(__dirname, 'src/main/services/hygiene/classify-worker.ts')
        },
        output: {
          // A chunk of its own, required first by cli.js: it runs before the other chunks load (host/cli-early.ts).
          manualChunks: (id) => (/[\\/](cli-early|worker-start)\.ts$/.test(id) ? 'cli-early' : undefined)
        }
      }
    }
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: { alias: { ...alias, '@renderer': resolve(__dirname, 'src/renderer/src') } },
    plugins: [react()],
    build: {
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
      chunkSizeWarningLimit: 2000
    }
  }
})

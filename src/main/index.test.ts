import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { methods } from '../shared/api'

/** Electron is mocked completely (as Electron Fiddle's tests do): we check how main configures it. */
const state = vi.hoisted(() => ({
  windows: [] as any[],
  handlers: new Map<string, (...a: any[]) => any>(),
  openExternal: [] as string[],
  userData: ''
}))

vi.mock('electron', () => {
  class FakeWebContents {
    windowOpenHandler?: (d: { url: string }) => { action: string }
    listeners = new Map<string, (...a: any[]) => void>()
    setWindowOpenHandler(h: any) {
      this.windowOpenHandler = h
    }
    on(ev: string, l: any) {
      this.listeners.set(ev, l)
    }
    send() {}
  }
  class BrowserWindow {
    webContents = new FakeWebContents()
    constructor(public options: any) {
      state.windows.push(this)
    }
    on() {}
    loadFile() {
      return Promise.resolve()
    }
    loadURL() {
      return Promise.resolve()
    }
    show() {}
    static getAllWindows() {
      return state.windows
    }
  }
  return {
    app: {
      isPackaged: true,
      whenReady: () => Promise.resolve(),
      on: () => undefined,
      setPath: (_k: string, v: string) => (state.userData = v),
      getPath: () => state.userData,
      exit: () => undefined,
      quit: () => undefined
    },
    BrowserWindow,
    ipcMain: {
      handle: (ch: string, fn: any) => state.handlers.set(ch, fn),
      removeHandler: (ch: string) => state.handlers.delete(ch)
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => undefined },
        setPermissionRequestHandler: () => undefined
      }
    },
    shell: { openExternal: async (u: string) => void state.openExternal.push(u) },
    Notification: class {
      static isSupported() {
        return false
      }
      show() {}
    },
    dialog: { showErrorBox: () => undefined }
  }
})

beforeAll(async () => {
  process.env.DELIVERY_DESK_DATA = mkdtempSync(join(tmpdir(), 'dd-electron-'))
  await import('./index')
  await new Promise((r) => setTimeout(r, 50))
})

describe('Electron main', () => {
  it('creates the window with secure preferences', () => {
    expect(state.windows).toHaveLength(1)
    const prefs = state.windows[0].options.webPreferences
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false
    })
    expect(prefs.preload).toMatch(/preload[\\/]index\.js$/)
  })

  it('denies new windows and navigation; opens only allowlisted http(s) links outside', () => {
    const wc = state.windows[0].webContents
    expect(wc.windowOpenHandler({ url: 'https://www.spamhaus.org/ip-reputation/' })).toEqual({
      action: 'deny'
    })
    expect(wc.windowOpenHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(wc.windowOpenHandler({ url: 'https://phish.example/login' })).toEqual({ action: 'deny' })
    // A provider page from the rejection knowledge base (not in the blocklist catalogue) is allowed too.
    wc.windowOpenHandler({ url: 'https://postmaster.comcast.net/' })
    expect(state.openExternal).toEqual([
      'https://www.spamhaus.org/ip-reputation/',
      'https://postmaster.comcast.net/'
    ])
    const ev = { preventDefault: vi.fn() }
    wc.listeners.get('will-navigate')(ev)
    expect(ev.preventDefault).toHaveBeenCalled()
  })

  it('registers the API so that every contract method reaches the dispatcher', async () => {
    const handler = state.handlers.get('api')!
    expect(handler).toBeTypeOf('function')
    const sender = state.windows[0].webContents
    for (const m of methods) {
      const r = await handler({ sender }, m, { __probe: true })
      // Every method exists (never UNKNOWN_METHOD); the probe input is refused by validation.
      expect(r.error?.code, m).not.toBe('UNKNOWN_METHOD')
    }
    const ok = await handler({ sender }, 'cases.list', {})
    expect(ok.ok).toBe(true)
  })

  it('refuses calls from a foreign sender', async () => {
    const handler = state.handlers.get('api')!
    const r = await handler({ sender: { id: 'devtools-extension' } }, 'cases.list', {})
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

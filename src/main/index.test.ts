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
  userData: '',
  loaded: [] as string[],
  privileged: [] as any[],
  protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
  appListeners: new Map<string, (...a: any[]) => any>(),
  permissionRequest: null as null | ((...a: any[]) => void),
  permissionCheck: null as null | ((...a: any[]) => boolean)
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
    loadFile(f: string) {
      state.loaded.push(`file:${f}`)
      return Promise.resolve()
    }
    loadURL(u: string) {
      state.loaded.push(u)
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
      on: (ev: string, l: any) => void state.appListeners.set(ev, l),
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
    protocol: {
      registerSchemesAsPrivileged: (schemes: any[]) => state.privileged.push(...schemes),
      handle: (scheme: string, h: any) => state.protocolHandlers.set(scheme, h)
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => undefined },
        setPermissionRequestHandler: (h: any) => (state.permissionRequest = h),
        setPermissionCheckHandler: (h: any) => (state.permissionCheck = h)
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
    // Plain http is refused even for an allowlisted host, and a catalogue page that was http-only is not allowed.
    expect(wc.windowOpenHandler({ url: 'http://www.spamhaus.org/ip-reputation/' })).toEqual({
      action: 'deny'
    })
    wc.windowOpenHandler({ url: 'http://wpbl.info/' })
    expect(state.openExternal).toEqual([
      'https://www.spamhaus.org/ip-reputation/',
      'https://postmaster.comcast.net/'
    ])
    const ev = { preventDefault: vi.fn() }
    wc.listeners.get('will-navigate')(ev)
    expect(ev.preventDefault).toHaveBeenCalled()
  })

  it('loads the renderer from app://, never file://, with the scheme registered as privileged before ready', () => {
    expect(state.loaded).toEqual(['app://renderer/index.html'])
    expect(state.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }
    ])
    expect(state.protocolHandlers.has('app')).toBe(true)
  })

  it('serves app:// through a handler that refuses traversal', async () => {
    const handle = state.protocolHandlers.get('app')!
    const outside = await handle(new Request('app://renderer/%2e%2e/%2e%2e/package.json'))
    expect(outside.status).toBe(404)
    const foreignHost = await handle(new Request('app://evil/index.html'))
    expect(foreignHost.status).toBe(404)
  })

  it('denies every permission request and every permission check', () => {
    const cb = vi.fn()
    state.permissionRequest!({}, 'media', cb)
    expect(cb).toHaveBeenCalledWith(false)
    for (const p of ['media', 'notifications', 'clipboard-read', 'geolocation'])
      expect(state.permissionCheck!({}, p, 'app://renderer', {})).toBe(false)
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

  // Last: it replaces the main window.
  it('keeps the database open when the last window closes on macOS, so activate reopens a working window', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!
    Object.defineProperty(process, 'platform', { value: 'darwin' })
    try {
      state.appListeners.get('window-all-closed')!()
      state.windows.length = 0
      state.appListeners.get('activate')!()
      expect(state.windows).toHaveLength(1)
      // The new window's IPC reaches a live backend (the old code had closed the database here).
      const invoke = state.handlers.get('api')!
      const r = await invoke({ sender: state.windows[0].webContents }, 'cases.list', {})
      expect(r).toMatchObject({ ok: true })
    } finally {
      Object.defineProperty(process, 'platform', platform)
    }
  })
})

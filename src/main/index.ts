/**
 * The only Electron glue: lifecycle, the window with secure defaults, the app:// protocol, CSP, permission and
 * navigation lock-down, the IPC adapter, and notifications. All behaviour lives in the backend shared with the web
 * host and the CLI.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Notification,
  protocol,
  safeStorage,
  session,
  shell
} from 'electron'
import { join } from 'node:path'
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler
} from './host/app-protocol'
import { startBackend, type Backend } from './host/backend'
import { CSP } from './host/http'
import { EVENT_CHANNEL, registerIpc } from './host/ipc'
import { allowExternalOrigins, isAllowedExternalUrl } from './host/external-links'
import { externalLinkOrigins } from './core/blocklist/catalogue'
import { getRejectionEntries } from './core/kb/match-rejection'

let mainWindow: BrowserWindow | null = null
let backend: Backend | null = null

export function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Delivery Desk',
    icon: join(__dirname, '../../resources/icon.png'),
    // Written out here rather than built by a helper, so that Electronegativity (npm run lint:electron) can see
    // every option it checks.
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // A middle click would otherwise open a link as a new window without a 'click' the page could cancel; the
      // window-open handler denies it anyway, this stops it one step earlier.
      disableBlinkFeatures: 'Auxclick'
    }
  })
  win.on('ready-to-show', () => win.show())
  // Navigation and new windows are denied; http(s) links go to the user's browser only after the allowlist check.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (e) => e.preventDefault())
  win.webContents.on('will-attach-webview', (e) => e.preventDefault())
  // Never file://: the built renderer comes from app://renderer (see host/app-protocol.ts).
  if (!app.isPackaged && process.env.ELECTRON_RENDERER_URL)
    void win.loadURL(process.env.ELECTRON_RENDERER_URL)
  else void win.loadURL(APP_ENTRY_URL)
  return win
}

/**
 * Report PDF: the report HTML (no scripts, strict CSP of its own) printed by a hidden window that is sandboxed,
 * isolated and has JavaScript off, so nothing from a message can run while printing.
 */
export async function printToPdf(html: string): Promise<Uint8Array> {
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      javascript: false,
      nodeIntegration: false,
      disableBlinkFeatures: 'Auxclick'
    }
  })
  try {
    win.webContents.on('will-navigate', (e) => e.preventDefault())
    await win.loadURL(`data:text/html;base64,${Buffer.from(html, 'utf8').toString('base64')}`)
    const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' })
    return new Uint8Array(pdf)
  } finally {
    win.destroy()
  }
}

export function bootstrap(): void {
  allowExternalOrigins(externalLinkOrigins()) // blocklist removal/docs pages may open in the browser
  // Provider pages the verdict links to (delist portals, postmaster sites, documentation) from the knowledge base.
  allowExternalOrigins(
    getRejectionEntries().flatMap((e) =>
      [e.reference, e.delistUrl, ...e.urls.map((u) => u.url)].filter((u): u is string => !!u)
    )
  )
  if (process.env.DELIVERY_DESK_DATA) app.setPath('userData', process.env.DELIVERY_DESK_DATA)
  // Must happen before "ready": privileges cannot be granted to a scheme afterwards.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
  app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, createAppProtocolHandler(join(__dirname, '../renderer')))
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
    })
    // The app needs no camera, microphone, notifications-by-web-API, clipboard-read, geolocation…: every request
    // is refused, and every synchronous check (navigator.permissions.query, media device enumeration) says no too.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false))
    session.defaultSession.setPermissionCheckHandler(() => false)
    try {
      backend = startBackend({
        dataDir: app.getPath('userData'),
        host: 'electron',
        printToPdf,
        // IMAP passwords and tokens: encrypted by the OS keychain (Keychain, DPAPI, libsecret). On Linux without a
        // secret service safeStorage falls back to a hard-coded key ('basic_text'): treat that as unavailable.
        secrets: {
          available: () =>
            safeStorage.isEncryptionAvailable() &&
            (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
          encrypt: (plain) => safeStorage.encryptString(plain),
          decrypt: (enc) => safeStorage.decryptString(enc)
        }
      })
    } catch (e) {
      dialog.showErrorBox('Delivery Desk cannot open its database', (e as Error).message)
      app.exit(1)
      return
    }
    mainWindow = createWindow()
    registerIpc(
      ipcMain,
      backend.dispatch,
      (sender) => mainWindow !== null && sender === mainWindow.webContents
    )
    backend.subscribe((name, payload) => {
      mainWindow?.webContents.send(EVENT_CHANNEL, name, payload)
      if (name === 'toast' && Notification.isSupported()) {
        const p = payload as { title: string; message: string }
        new Notification({ title: p.title, body: p.message }).show()
      }
    })
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
    })
  })
  // On macOS an app stays running with no window and the Dock icon reopens one ('activate'): the database must
  // outlive its windows, so it closes when the app quits, not when the last window does.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => {
    backend?.close()
  })
}

bootstrap()

/**
 * The only Electron glue: lifecycle, the window with secure defaults, CSP, navigation lock-down, the IPC adapter,
 * and notifications. All behaviour lives in the backend shared with the web host and the CLI.
 */
import { app, BrowserWindow, dialog, ipcMain, Notification, safeStorage, session, shell } from 'electron'
import { join } from 'node:path'
import { startBackend, type Backend } from './host/backend'
import { CSP } from './host/http'
import { EVENT_CHANNEL, registerIpc } from './host/ipc'
import { allowExternalOrigins, isAllowedExternalUrl } from './host/external-links'
import { externalLinkOrigins } from './core/blocklist/catalogue'
import { getRejectionEntries } from './core/kb/match-rejection'

let mainWindow: BrowserWindow | null = null
let backend: Backend | null = null

export function secureWebPreferences(preload: string): Electron.WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false
  }
}

export function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Delivery Desk',
    icon: join(__dirname, '../../resources/icon.png'),
    webPreferences: secureWebPreferences(join(__dirname, '../preload/index.js'))
  })
  win.on('ready-to-show', () => win.show())
  // Navigation and new windows are denied; http(s) links go to the user's browser only after the allowlist check.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (e) => e.preventDefault())
  win.webContents.on('will-attach-webview', (e) => e.preventDefault())
  if (!app.isPackaged && process.env.ELECTRON_RENDERER_URL)
    void win.loadURL(process.env.ELECTRON_RENDERER_URL)
  else void win.loadFile(join(__dirname, '../renderer/index.html'))
  return win
}

/**
 * Report PDF: the report HTML (no scripts, strict CSP of its own) printed by a hidden window that is sandboxed,
 * isolated and has JavaScript off, so nothing from a message can run while printing.
 */
export async function printToPdf(html: string): Promise<Uint8Array> {
  const win = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, javascript: false, nodeIntegration: false }
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
  app.whenReady().then(() => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
    })
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false))
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
  app.on('window-all-closed', () => {
    backend?.close()
    if (process.platform !== 'darwin') app.quit()
  })
}

bootstrap()

import type { Dispatch } from './dispatch'

/**
 * The Electron IPC adapter, written against structural types instead of importing `electron`, so it is
 * unit-testable (the pattern of Bruno's sqlite package). One channel, "api", carries every method.
 */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (
      event: { sender: unknown; senderFrame?: { url: string } | null },
      ...args: unknown[]
    ) => unknown
  ): void
  removeHandler(channel: string): void
}

export const API_CHANNEL = 'api'
export const EVENT_CHANNEL = 'event'

/**
 * Registers the dispatcher. `isTrusted(sender)` must say whether the call comes from our own window
 * (Electron Fiddle's sender check): any other webContents (a devtools extension, a stray webview) is refused.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  dispatch: Dispatch,
  isTrusted: (sender: unknown, frameUrl?: string) => boolean
) {
  ipcMain.handle(API_CHANNEL, async (event, method, input) => {
    if (!isTrusted(event.sender, event.senderFrame?.url)) {
      return {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'IPC call from an untrusted sender refused.' }
      }
    }
    return dispatch(String(method), input)
  })
  return () => ipcMain.removeHandler(API_CHANNEL)
}

import { contextBridge, ipcRenderer } from 'electron'
import type { DeliveryDeskBridge } from './index.d'

/**
 * The whole bridge: one typed `invoke` over the "api" channel and one `on` for pushed events. The renderer gets
 * no raw ipcRenderer, so it cannot send on arbitrary channels.
 */
const bridge = {
  invoke: (method, input) => ipcRenderer.invoke('api', method, input),
  on: (listener) => {
    const wrapped = (_e: unknown, name: string, payload: unknown) => listener(name as never, payload as never)
    ipcRenderer.on('event', wrapped)
    return () => {
      ipcRenderer.removeListener('event', wrapped)
    }
  }
} satisfies DeliveryDeskBridge

contextBridge.exposeInMainWorld('deliveryDesk', bridge)

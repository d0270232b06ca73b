import type { Transport } from '../shared/api'
import type { EventName, EventPayload } from '../shared/events'

export interface DeliveryDeskBridge {
  invoke: Transport
  on(listener: <E extends EventName>(name: E, payload: EventPayload<E>) => void): () => void
}

declare global {
  interface Window {
    deliveryDesk?: DeliveryDeskBridge
  }
}

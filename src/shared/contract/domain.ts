import type { MethodSpec } from './spec'

/** The domain methods of the contract (see api.ts). */
export const domainApi = {} as const satisfies Record<string, MethodSpec>

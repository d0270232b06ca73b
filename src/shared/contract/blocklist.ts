import type { MethodSpec } from './spec'

/** The blocklist methods of the contract (see api.ts). */
export const blocklistApi = {} as const satisfies Record<string, MethodSpec>

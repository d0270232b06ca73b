import type { MethodSpec } from './spec'

/** The workflow methods of the contract (see api.ts). */
export const workflowApi = {} as const satisfies Record<string, MethodSpec>

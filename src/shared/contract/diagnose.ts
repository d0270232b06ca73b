import type { MethodSpec } from './spec'

/** The diagnose methods of the contract beyond the core ones (see api.ts). */
export const diagnoseApi = {} as const satisfies Record<string, MethodSpec>

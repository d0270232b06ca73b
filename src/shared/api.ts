import type { z } from 'zod'
import { coreApi } from './contract/core'
import { domainApi } from './contract/domain'
import { blocklistApi } from './contract/blocklist'
import { workflowApi } from './contract/workflow'
import { diagnoseApi } from './contract/diagnose'
import { hygieneApi } from './contract/hygiene'
import { dmarcApi } from './contract/dmarc'
import { precheckApi } from './contract/precheck'
import { watchApi } from './contract/watch'

/**
 * The one API contract. Every host (Electron IPC, the loopback web host, the CLI) calls the same dispatcher,
 * which validates `input` against these schemas. Names are `domain.verb`. Each area keeps its methods in
 * `contract/<area>.ts`; this file only joins them.
 */
export * from './contract/core'
export const api = {
  ...coreApi,
  ...diagnoseApi,
  ...domainApi,
  ...blocklistApi,
  ...workflowApi,
  ...hygieneApi,
  ...dmarcApi,
  ...precheckApi,
  ...watchApi
} as const

export type Api = typeof api
export type Method = keyof Api
export type Input<M extends Method> = z.input<Api[M]['input']>
export type ParsedInput<M extends Method> = z.output<Api[M]['input']>
export type Output<M extends Method> = z.output<Api[M]['output']>
export type Handlers = { [M in Method]: (input: ParsedInput<M>) => Promise<Output<M>> }
export const methods = Object.keys(api) as Method[]

export type { Result } from './result'
import type { Result } from './result'
/** What the renderer sees: one function, whatever the host. */
export type Transport = <M extends Method>(method: M, input: Input<M>) => Promise<Result<Output<M>>>

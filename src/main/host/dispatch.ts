import { api, type Handlers, type Method } from '../../shared/api'
import { AppError, type Result } from '../../shared/result'
import { DatabaseOpenError } from '../db/open'

export type Dispatch = (method: string, input: unknown) => Promise<Result<unknown>>

function isMethod(m: string): m is Method {
  return Object.prototype.hasOwnProperty.call(api, m)
}

/**
 * The single entry point behind every host. It validates `input` against the contract, runs the handler,
 * and turns every outcome into plain data (like Actual Budget's serializeError): nothing thrown crosses IPC
 * or HTTP, and unexpected errors are reported without leaking stack traces to the UI.
 */
export function createDispatcher(handlers: Handlers, log: (e: unknown) => void = console.error): Dispatch {
  return async (method, input) => {
    if (typeof method !== 'string' || !isMethod(method)) {
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method)}` } }
    }
    const parsed = api[method].input.safeParse(input ?? {})
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({
        path: i.path.join('.') || '(input)',
        message: i.message
      }))
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: `Invalid input for ${method}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          issues
        }
      }
    }
    try {
      const handler = handlers[method] as (i: unknown) => Promise<unknown>
      const data = await handler(parsed.data)
      return { ok: true, data }
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.toData() }
      if (e instanceof DatabaseOpenError)
        return { ok: false, error: { code: 'DB_ERROR', message: e.message } }
      log(e)
      return {
        ok: false,
        error: { code: 'INTERNAL', message: `Unexpected error in ${method}: ${(e as Error)?.message ?? e}` }
      }
    }
  }
}

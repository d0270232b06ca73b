import type { Text } from './text'

/**
 * What crosses every host boundary (IPC, HTTP, CLI): plain data, never thrown exceptions.
 * Error codes are stable so the UI and CLI can react to them; messages are written for a mail admin.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_METHOD'
  | 'NOT_FOUND'
  | 'EMPTY_FILE'
  | 'NOT_A_MESSAGE'
  | 'TOO_LARGE'
  | 'NOT_OLE'
  | 'PARSE_ERROR'
  | 'DNS_ERROR'
  | 'CANCELLED'
  | 'UNSUPPORTED'
  | 'CONFLICT'
  | 'DB_ERROR'
  | 'INTERNAL'
  | 'AUTH_FAILED'
  | 'CONNECTION_FAILED'

export interface AppErrorData {
  code: ErrorCode
  message: string
  /** Field paths for INVALID_INPUT. */
  issues?: { path: string; message: string }[]
  /** Parameters of `code` for the UI's translated text (TEXT IS DATA); `message` is the English rendering. */
  params?: Record<string, string | number>
  /** The message itself as a Text for the reader's language, when the code alone does not say it. */
  text?: Text
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: AppErrorData }

/** An error a service throws on purpose; the dispatcher turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly issues?: AppErrorData['issues']
  readonly params?: AppErrorData['params']
  readonly text?: Text
  constructor(
    code: ErrorCode,
    message: string,
    issues?: AppErrorData['issues'],
    params?: AppErrorData['params'],
    text?: Text
  ) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.issues = issues
    this.params = params
    this.text = text
  }
  toData(): AppErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.params ? { params: this.params } : {}),
      ...(this.text ? { text: this.text } : {})
    }
  }
}

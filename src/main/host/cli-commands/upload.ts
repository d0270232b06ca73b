import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'

/** A file from the command line as the contract's upload (the same shape the UI sends). */
export function fileUpload(path: string) {
  const size = statSync(path).size
  return { name: basename(path), size, base64: readFileSync(path).toString('base64') }
}

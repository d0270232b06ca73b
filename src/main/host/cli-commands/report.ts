import { writeFileSync } from 'node:fs'
import type { CliCommand } from './types'

const FORMATS = ['html', 'pdf', 'md', 'json']

/** `report CASE_ID --format html|pdf|md|json --out FILE [--variant operator] [--language en|fr] [--contact C]`. */
export const reportCommand: CliCommand | null = {
  name: 'report',
  usage: 'report CASE_ID --format html|pdf|md|json --out FILE [--variant operator] [--language en|fr]',
  summary: 'Export a case report (full, or for the blocklist operator)',
  async run({ rest, flag, print, fail, backend }) {
    const id = Number(rest[0])
    if (!Number.isInteger(id) || id <= 0)
      return fail('report needs a CASE_ID (a number; see "cases").', 'INVALID_INPUT')
    const format = flag('--format') ?? 'html'
    if (!FORMATS.includes(format))
      return fail(`--format must be one of ${FORMATS.join(', ')}.`, 'INVALID_INPUT')
    const out = flag('--out')
    if (!out) return fail('report needs --out FILE.', 'INVALID_INPUT')
    const res = await backend.dispatch('report.export', {
      caseId: id,
      format,
      variant: flag('--variant') ?? 'full',
      language: flag('--language'),
      contact: flag('--contact')
    })
    if (!res.ok) return fail(res.error.message, res.error.code)
    const file = res.data as { base64: string; mimeType: string }
    const bytes = Buffer.from(file.base64, 'base64')
    try {
      writeFileSync(out, bytes)
    } catch (e) {
      return fail(`Could not write ${out}: ${(e as Error).message}`, 'IO_ERROR')
    }
    print(
      { path: out, bytes: bytes.length, mimeType: file.mimeType },
      () => `Report written to ${out} (${bytes.length} bytes)`
    )
    return 0
  }
}

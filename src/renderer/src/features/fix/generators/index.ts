import type { ReactElement } from 'react'
import type { GeneratorProps } from '../gen-form'
import { SpfForm } from './spf'
import { DmarcForm } from './dmarc'
import { DkimForm } from './dkim'
import { M365Form } from './m365'
import { RelayForm } from './relay'
import { RdnsForm } from './rdns'
import { ContentForm } from './content'

/** The generator tabs, in order: one form per kind of fix, one file per generator. */
export const GENERATORS = [
  ['spf', SpfForm],
  ['dmarc', DmarcForm],
  ['dkim', DkimForm],
  ['m365', M365Form],
  ['relay', RelayForm],
  ['rdns', RdnsForm],
  ['content', ContentForm]
] as const satisfies readonly (readonly [string, (p: GeneratorProps) => ReactElement])[]

/** Remedy ids (analyses, verdict) → the generator tab that answers them. */
export const REMEDY_TAB: Record<string, string> = {
  'spf-builder': 'spf',
  'dmarc-planner': 'dmarc',
  'dkim-keygen': 'dkim',
  'relay-fix': 'relay',
  'rdns-request': 'rdns',
  'reverse-dns': 'rdns',
  'content-lint': 'content'
}

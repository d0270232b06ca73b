import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBackend, type Backend } from './backend'

/** A backend on a real SQLite file in a fresh temporary directory (tests only). */
export function tempBackend(host: 'web' | 'cli' | 'electron' = 'web'): Backend & { dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'dd-test-'))
  return Object.assign(startBackend({ dataDir, host }), { dataDir })
}

export const SAMPLE_EML = [
  'Received: from relay.example.net (relay.example.net [198.51.100.4]) by mx.example.org with ESMTPS id abc; Tue, 14 Mar 2023 09:12:07 +0100',
  'Received: from laptop (unknown [192.168.1.2]) by relay.example.net with ESMTPSA id def; Tue, 14 Mar 2023 09:12:03 +0100',
  'From: Alice <alice@example.net>',
  'To: bob@example.org',
  'Subject: Hello there',
  'Date: Tue, 14 Mar 2023 09:12:00 +0100',
  'Message-ID: <m1@example.net>',
  '',
  'Hi Bob.',
  ''
].join('\r\n')

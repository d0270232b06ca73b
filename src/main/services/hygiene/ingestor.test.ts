import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../../../shared/settings'
import type { LightOutcome } from '../../core/hygiene/light'
import { openDatabase } from '../../db/open'
import { createHygieneRepo } from '../../db/repos/hygiene'
import type { Classifier } from './classify-pool'
import { Ingestor } from './ingestor'

/** A bounce of about `size` bytes, unique by its Message-ID. */
const message = (i: number, size: number) =>
  Buffer.from(
    `From: MAILER-DAEMON@mx.example\nTo: sender@example.org\nMessage-ID: <${i}@bench.test>\nSubject: Undelivered\n\n` +
      'x'.repeat(size)
  )

/** A fresh database file, and the deps every Ingestor here shares (a fixed clock, no source). */
function testDeps() {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'dd-ingestor-')), 'dd.sqlite'))
  return {
    db,
    repo: createHygieneRepo(db),
    settings: defaultSettings,
    now: () => new Date('2026-12-01T00:00:00Z'),
    sourceId: null,
    sourceLabel: 'test'
  }
}

describe('Ingestor', () => {
  it('bounds the bytes in classification, not only the count, so big messages never pile up in memory', async () => {
    const base = testDeps()
    const db = base.db
    let inFlight = 0
    let most = 0
    const waiting: (() => void)[] = []
    // A classifier that accepts up to 100 messages at once and answers only when the test releases one.
    const slow: Classifier = {
      capacity: 100,
      classify: () => {
        most = Math.max(most, ++inFlight)
        return new Promise<LightOutcome>((resolve) =>
          waiting.push(() => {
            inFlight--
            resolve({ ok: true, c: { kind: 'other', events: [] }, date: null })
          })
        )
      },
      close: async () => {}
    }
    const ing = new Ingestor({ ...base, pool: () => slow, maxInFlightBytes: 10_000 })
    ing.expect(1000)
    const release = setInterval(() => waiting.shift()?.(), 1)
    try {
      for (let i = 0; i < 30; i++) await ing.add(`m${i}`, message(i, 4000))
      const summary = await ing.finish()
      expect(summary.messages).toBe(30)
    } finally {
      clearInterval(release)
      db.close()
    }
    // 4 KB messages under a 10 KB bound: never more than three in flight (the third crosses the bound).
    expect(most).toBeGreaterThan(1)
    expect(most).toBeLessThanOrEqual(3)
  })

  it('counts a message another run stored first as a duplicate, not as a message', async () => {
    const base = testDeps()
    const db = base.db
    const deps = {
      ...base,
      classify: async (): Promise<LightOutcome> => ({
        ok: true,
        c: { kind: 'other', events: [] },
        date: null
      })
    }
    try {
      // Two runs over the same message (two sources at once): both see it unstored, the first commits it.
      const first = new Ingestor(deps)
      const second = new Ingestor(deps)
      expect(await first.add('a.eml', message(1, 100))).toBe(true)
      expect(await second.add('b.eml', message(1, 100))).toBe(true)
      expect((await first.finish()).messages).toBe(1)
      const s = await second.finish()
      expect(s).toMatchObject({ messages: 0, other: 0, duplicates: 1 })
      expect(db.prepare('SELECT count(*) AS n FROM hygiene_messages').get()).toEqual({ n: 1 })
    } finally {
      db.close()
    }
  })
})

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../test/support/dns-server'
import { WATCH_IP, watchZones } from '../../../test/support/watch-fixtures'
import { startBackend } from '../host/backend'
import type { SchedulerTimers } from './recheck-scheduler'
import type { CaseDetail } from '../../shared/api'

/**
 * The watch in the background of the app (issue 14): the scheduler runs `watch.run` every Settings → watchHours,
 * counted from the last run, on an injected clock and timers (no waiting); alerts reach the linked case's
 * timeline as text as data and the app as a toast.
 */
describe('watch service: background schedule and case timeline', () => {
  let dns: DnsTestServer
  let dataDir: string
  beforeAll(async () => {
    dns = await startDnsServer({ zones: watchZones() })
    dataDir = mkdtempSync(join(tmpdir(), 'dd-watch-'))
  })
  afterAll(async () => {
    await dns.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('runs on schedule, posts alerts to the linked case and raises a toast', async () => {
    let clock = Date.parse('2025-06-01T08:00:00Z')
    const pending: { ms: number; fn: () => void }[] = []
    const timers: SchedulerTimers = {
      setTimeout(fn, ms) {
        pending.push({ ms, fn })
        return pending.length - 1
      },
      clearTimeout: () => undefined
    }
    const b = startBackend({
      dataDir,
      host: 'web',
      now: () => new Date(clock),
      recheck: false,
      watch: { timers }
    })
    const events: { name: string; payload: unknown }[] = []
    b.subscribe((name, payload) => void events.push({ name, payload }))
    try {
      // Nothing has run yet: the first round is a full interval (6 h by default) after start
      expect(pending.at(-1)!.ms).toBe(6 * 3600_000)
      await b.dispatch('settings.set', { resolver: dns.address, dnsTimeoutMs: 500, watchHours: 2 })
      const c = await b.dispatch('cases.create', { title: 'Our relay' })
      if (!c.ok) throw new Error(c.error.message)
      const caseId = (c.data as { id: number }).id
      const add = await b.dispatch('watch.add', {
        targets: [WATCH_IP],
        lists: ['spamcop', 'barracuda'],
        caseId
      })
      expect(add.ok).toBe(true)

      clock += 6 * 3600_000
      pending.at(-1)!.fn()
      await expect
        .poll(async () => {
          const h = await b.dispatch('watch.history', { target: WATCH_IP })
          return h.ok ? (h.data as { points: unknown[] }).points.length : -1
        })
        .toBe(1)
      // The next round is due watchHours after this one
      await expect.poll(() => pending.length).toBe(2)
      expect(pending[1].ms).toBe(2 * 3600_000)

      const detail = await b.dispatch('cases.get', { id: caseId })
      if (!detail.ok) throw new Error(detail.error.message)
      const alerts = (detail.data as CaseDetail).notes.filter((n) => n.text?.code === 'watch:alert.listed')
      expect(alerts.map((n) => n.text?.params?.list).sort()).toEqual([
        'Barracuda Reputation Block List (BRBL)',
        'SpamCop Blocking List'
      ])
      const toast = events.find((e) => e.name === 'toast')?.payload as { title: string; message: string }
      expect(toast.title).toMatch(/\(2\)/)
      expect(toast.message).toContain(`${WATCH_IP} `)
      expect(events.some((e) => e.name === 'watch:changed')).toBe(true)
    } finally {
      b.close()
    }
  })
})

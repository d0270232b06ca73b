import { describe, expect, it } from 'vitest'
import { takeEarly } from '../services/hygiene/worker-start'
import { startEarlyWork } from './cli-early'

describe('startEarlyWork', () => {
  it('starts the classification workers for `hygiene ingest` only', async () => {
    startEarlyWork(['analyze', 'bounce.eml', '--json'])
    startEarlyWork(['hygiene', 'stats', '--json'])
    expect(takeEarly(16)).toEqual([])
    startEarlyWork(['--data', '/tmp/dd', 'hygiene', 'ingest', '/var/mail/bounces', '--json'])
    const started = takeEarly(16)
    try {
      expect(started.length).toBeGreaterThanOrEqual(1)
    } finally {
      await Promise.all(started.map((w) => w.terminate()))
    }
  })
})

import { describe, expect, it } from 'vitest'
import { normaliseQueryName } from '../../core/dns/caching'
import { statusFromErrorCode } from './resolver'

describe('statusFromErrorCode', () => {
  it('keeps answers (NXDOMAIN/NODATA) apart from failures', () => {
    expect(statusFromErrorCode('ENOTFOUND')).toBe('nxdomain')
    expect(statusFromErrorCode('ENODATA')).toBe('nodata')
    expect(statusFromErrorCode('ESERVFAIL')).toBe('servfail')
    expect(statusFromErrorCode('EREFUSED')).toBe('refused')
    expect(statusFromErrorCode('ETIMEOUT')).toBe('timeout')
    expect(statusFromErrorCode('ECONNREFUSED')).toBe('error')
    expect(statusFromErrorCode(undefined)).toBe('error')
  })
  it('normalises names', () => {
    expect(normaliseQueryName(' Example.COM. ')).toBe('example.com')
  })
})

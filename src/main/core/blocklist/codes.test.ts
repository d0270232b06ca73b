import { describe, expect, it } from 'vitest'
import type { DnsAnswer } from '../dns/types'
import { getList } from './catalogue'
import { classifyAnswer } from './codes'

const ok = (...records: string[]): DnsAnswer => ({ status: 'ok', name: 'q', type: 'A', records, ms: 1 })
const list = (id: string) => {
  const l = getList(id)
  if (!l) throw new Error(`catalogue lacks ${id}`)
  return l
}

describe('classifyAnswer with catalogue entries', () => {
  it('decodes Spamhaus ZEN codes and refuses 127.255.255.x', () => {
    expect(classifyAnswer(list('spamhaus-zen'), ok('127.0.0.4', '127.0.0.10'))).toMatchObject({
      status: 'listed',
      polarity: 'block',
      meanings: [expect.stringMatching(/^XBL/), expect.stringMatching(/^PBL/)]
    })
    expect(classifyAnswer(list('spamhaus-zen'), ok('127.255.255.254'))).toMatchObject({ status: 'refused' })
    // Any 127.255.255.0/24 answer is an error code, documented or not (Spamhaus news article 788).
    expect(classifyAnswer(list('spamhaus-dbl'), ok('127.255.255.250'))).toMatchObject({ status: 'refused' })
    expect(classifyAnswer(list('spamhaus-dbl'), ok('127.0.1.255'))).toMatchObject({ status: 'refused' })
  })

  it('reads DNSWL trust levels by octet wildcard and its 127.0.0.255 block code', () => {
    expect(classifyAnswer(list('dnswl'), ok('127.0.9.3'))).toMatchObject({
      status: 'listed',
      polarity: 'allow',
      meanings: [expect.stringMatching(/high/)]
    })
    expect(classifyAnswer(list('dnswl'), ok('127.0.0.255'))).toMatchObject({ status: 'refused' })
  })

  it('treats Hostkarma white/yellow as allow and black as block', () => {
    expect(classifyAnswer(list('hostkarma'), ok('127.0.0.1'))).toMatchObject({
      status: 'listed',
      polarity: 'allow'
    })
    expect(classifyAnswer(list('hostkarma'), ok('127.0.0.2'))).toMatchObject({
      status: 'listed',
      polarity: 'block'
    })
  })

  it('flags undocumented codes, non-127 answers and failures', () => {
    expect(classifyAnswer(list('spamcop'), ok('127.0.0.9'))).toMatchObject({
      status: 'listed',
      meanings: ['Undocumented return code 127.0.0.9']
    })
    expect(classifyAnswer(list('spamcop'), ok('192.0.2.80'))).toMatchObject({ status: 'unreliable' })
    expect(
      classifyAnswer(list('spamcop'), { status: 'timeout', name: 'q', type: 'A', records: [], ms: 2000 })
    ).toMatchObject({ status: 'error' })
    expect(
      classifyAnswer(list('spamcop'), { status: 'nodata', name: 'q', type: 'A', records: [], ms: 1 })
    ).toMatchObject({ status: 'clean' })
  })
})

import { describe, expect, it } from 'vitest'
import { isWhiteSpace, normaliseReply } from './match-rejection'

/** The straightforward reading of normaliseReply's contract: one character at a time, `\s` by regex. */
function reference(text: string): { text: string; map: number[] } {
  const first = /^\s*([245]\d\d)[- ]/.exec(text)?.[1]
  const drop = new Array<boolean>(text.length).fill(false)
  if (first) {
    const re = new RegExp(`(?<=\\S)\\s+${first}[- ](?:[245]\\.\\d{1,3}\\.\\d{1,3}\\s+)?`, 'g')
    for (const m of text.matchAll(re))
      for (let i = (m.index ?? 0) + 1; i < (m.index ?? 0) + m[0].length; i++) drop[i] = true
  }
  let out = ''
  const map: number[] = []
  let lastSpace = false
  for (let i = 0; i < text.length; i++) {
    if (drop[i]) continue
    const space = /\s/.test(text[i])
    if (space && lastSpace) continue
    out += space ? ' ' : text[i]
    map.push(i)
    lastSpace = space
  }
  return { text: out, map }
}

describe('normaliseReply', () => {
  it('isWhiteSpace is exactly \\s for every UTF-16 code unit', () => {
    for (let c = 0; c <= 0xffff; c++)
      if (isWhiteSpace(c) !== /\s/.test(String.fromCharCode(c))) expect(c.toString(16)).toBe('not whitespace')
  })
  it('agrees with the character-by-character reading', () => {
    const samples = [
      '',
      ' ',
      '550-5.7.1 Our system has detected\r\n550-5.7.1 an unusual rate of\n550 5.7.1 unsolicited mail',
      '  550 5.7.1 tabs\there\u00a0and\u2028line\u3000ends\ufeff  ',
      '421-4.7.0 [192.0.2.1] wrapped 421-4.7.0\t\treply 421 4.7.0 end',
      'no code at all,   just   spaces\n\n\nand lines',
      '550 x 550 y 550-z',
      '😀 550 emoji 🎉  text'
    ]
    for (const s of samples) expect(normaliseReply(s), JSON.stringify(s)).toEqual(reference(s))
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseMessage } from './parse-message'
import { charsetDecode, decodeQp, parseParams } from './mime-walk'

const report = `From: =?UTF-8?B?TWFpbGVyIETDpG1vbg==?= <MAILER-DAEMON@example.org>
To: a@example.com, "B" <b@example.com>
Subject: =?ISO-8859-1?Q?R=E9ponse?=
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="outer"

--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

caf=E9 soft=
 break
--inner
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

PHA+aGk8L3A+
--inner--

--outer
Content-Type: message/delivery-status

Final-Recipient: rfc822; x@example.net
Status: 5.1.1

--outer
Content-Type: message/rfc822

Subject: original
Content-Type: multipart/mixed; boundary="orig"

--orig
Content-Type: text/plain

not body text of the bounce
--orig--

--outer
Content-Type: application/pdf; name="big.pdf"
Content-Transfer-Encoding: base64

${'QUFB'.repeat(100)}
--outer--
`

describe('MIME walker', () => {
  it('decodes text parts (QP + charset, base64 html), keeps message/* as attachments', async () => {
    const m = await parseMessage(report.replace(/\n/g, '\r\n'))
    expect(m.subject).toBe('Réponse')
    expect(m.from).toEqual({ name: 'Mailer Dämon', address: 'MAILER-DAEMON@example.org' })
    expect(m.to.map((t) => t.address)).toEqual(['a@example.com', 'b@example.com'])
    expect(m.text).toBe('café soft break')
    expect(m.html).toBe('<p>hi</p>')
    expect(m.attachments.map((a) => a.mimeType)).toEqual([
      'message/delivery-status',
      'message/rfc822',
      'application/pdf'
    ])
    const ds = new TextDecoder().decode(m.attachments[0].content)
    expect(ds).toContain('Status: 5.1.1')
    expect(new TextDecoder().decode(m.attachments[1].content)).toContain('not body text of the bounce')
    expect(m.text).not.toContain('not body text')
    expect(m.attachments[2]).toMatchObject({ filename: 'big.pdf', size: 300, hasContent: true })
    expect(m.warnings).toEqual([])
  })
  it('keeps only metadata for large attachments, unless they are message/*', async () => {
    const m = await parseMessage(report, { keepContentMax: 100 })
    const pdf = m.attachments.find((a) => a.mimeType === 'application/pdf')
    expect(pdf).toMatchObject({ size: 300, hasContent: false })
    expect(pdf?.content).toBeUndefined()
    expect(m.attachments.find((a) => a.mimeType === 'message/rfc822')?.hasContent).toBe(true)
  })
  it('flags a multipart that never closes', async () => {
    const m = await parseMessage(report.slice(0, report.indexOf('--outer\nContent-Type: message/rfc822')))
    expect(m.warnings.map((w) => w.code)).toContain('TRUNCATED')
    expect(m.attachments.map((a) => a.mimeType)).toEqual(['message/delivery-status'])
  })
  it('parses parameters and decodes ISO-2022-JP (7-bit with ESC)', () => {
    expect(parseParams('Text/Plain; charset="UTF-8"; name=a.txt')).toEqual({
      value: 'text/plain',
      params: { charset: 'UTF-8', name: 'a.txt' }
    })
    expect(charsetDecode('\x1b$B$3$s\x1b(B', 'iso-2022-jp')).toBe('こん')
    expect(charsetDecode('plain', 'iso-2022-jp')).toBe('plain')
  })
})

describe('decodeQp', () => {
  // The hand-written passes must decode what the two regex replacements they replace decode.
  const reference = (s: string): string =>
    s
      .replace(/=[ \t]*\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
  it('matches the regex passes', () => {
    const text = fc
      .array(fc.constantFrom(...'==aF0 \t\n9gé'.split('')), { maxLength: 60 })
      .map((a) => a.join(''))
    fc.assert(
      fc.property(text, (s) => {
        expect(decodeQp(s)).toBe(reference(s))
      }),
      { numRuns: 5000 }
    )
  })
})

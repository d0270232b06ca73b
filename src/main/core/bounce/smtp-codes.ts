/**
 * Extract SMTP reply codes (RFC 5321 4.2), enhanced status codes (RFC 3463) and the failing SMTP command from an
 * error text. The selection rules (skip X.0.0 when a more specific code exists, prefer the code whose class
 * agrees with the reply code) follow go-sisimai smtp/status Find/Prefer and smtp/reply Find.
 */

const REPLY_2 = ['211', '214', '220', '221', '235', '250', '251', '252', '253', '334', '354']
const REPLY_4 = ['421', '450', '451', '452', '422', '430', '432', '453', '454', '455', '458', '459']
const REPLY_5 = [
  '550',
  '552',
  '553',
  '551',
  '521',
  '525',
  '523',
  '524',
  '530',
  '533',
  '534',
  '535',
  '538',
  '555',
  '556',
  '554',
  '500',
  '501',
  '502',
  '503',
  '504'
]

/** Is `code` a syntactically valid enhanced status code X.Y.Z (RFC 3463 2: class 2/4/5, subject 0-7)? */
export function isStatus(code: string | undefined): code is string {
  return !!code && /^[245]\.[0-7]\.\d{1,3}$/.test(code)
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

/** Find the most relevant enhanced status code in free text (`hint`: reply code or class digit). */
export function findStatus(text: string, hint = ''): string {
  if (!text || text.length < 5) return ''
  const s = ' ' + text.replace(/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g, '***.***.***.***') + '   '
  const classes = hint && '245'.includes(hint[0]) ? [hint[0]] : ['5', '4', '2']
  const found: { pos: number; code: string }[] = []
  let zero = ''
  for (const cls of classes) {
    let p = s.indexOf(cls + '.')
    while (p >= 0) {
      const prev = s[p - 1]
      const subj = s[p + 2]
      if (
        !(isDigit(prev) || prev === '.' || prev === 'v' || prev === 'V' || prev === '-' || prev === '/') &&
        subj >= '0' &&
        subj <= '7' &&
        s[p + 3] === '.' &&
        isDigit(s[p + 4])
      ) {
        let code = `${cls}.${subj}.${s[p + 4]}`
        let q = p + 5
        if (isDigit(s[q])) code += s[q++]
        if (isDigit(s[q])) code += s[q++]
        if (!isDigit(s[q])) {
          if (/^\d\.0\.0$/.test(code) || code === '4.4.7') zero = zero || code
          else found.push({ pos: p, code })
        }
      }
      p = s.indexOf(cls + '.', p + 1)
    }
  }
  found.sort((a, b) => a.pos - b.pos)
  // In text order, the vague code last; folded without an intermediate array (whose elements kind differs between an
  // empty and a full one, which made V8 re-optimise this function again and again).
  let cv = ''
  for (const f of found) cv = cv ? preferStatus(cv, f.code, '') : f.code
  if (zero) cv = cv ? preferStatus(cv, zero, '') : zero
  return cv
}

/**
 * Choose between the Status: field value (`field`) and a code found in the diagnostic text (`inText`), as in
 * go-sisimai smtp/status/prefer.go: agree with the reply code class, and replace vague codes (X.0.0, 4.4.7,
 * 4.7.0, 5.3.*, X.5.*) by the specific one from the text.
 */
export function preferStatus(field: string, inText: string, reply: string): string {
  if (!field) return inText
  if (!inText) return field
  if (field.length < 5) return inText
  if (inText.length < 5) return field
  const r = reply || '0'
  if (r[0] !== '0' && field[0] !== inText[0]) {
    if (r[0] === field[0]) return field
    if (r[0] === inText[0]) return inText
  }
  if (field === inText) return field
  const z1 = [field.indexOf('.0'), inText.indexOf('.0')]
  const z2 = [field.indexOf('.0.0'), inText.indexOf('.0.0')]
  if (z2[0] > 0) return z2[1] < 0 ? inText : field
  if (z1[0] > 0 && z1[1] < 0) return inText
  if (z2[1] > 0) return field
  if (field === '4.4.7' || field === '4.7.0') return inText
  if (field.startsWith('5.3.')) return inText
  if (/^\d\.5\.[1245]$/.test(field)) return inText
  if (field === '5.1.1') return z1[1] > 0 || inText.startsWith('5.5.') ? field : inText
  if (field === '5.1.3' && inText.startsWith('5.7.')) return inText
  return field
}

/** First SMTP reply code in the text, not glued to other digits or dots. */
export function findReplyCode(text: string, status = ''): string {
  if (!text || text.length < 3 || /x-unix/i.test(text)) return ''
  const s = ' ' + text + ' '
  const cls = status[0]
  const codes =
    cls === '2'
      ? REPLY_2
      : cls === '4'
        ? REPLY_4
        : cls === '5'
          ? REPLY_5
          : [...REPLY_5, ...REPLY_4, ...REPLY_2]
  for (const c of codes) {
    let p = s.indexOf(c)
    while (p >= 0) {
      const a = s.charCodeAt(p - 1)
      const b = s.charCodeAt(p + 3)
      if (!(a > 45 && a < 58) && !(b > 45 && b < 58)) return c
      p = s.indexOf(c, p + 3)
    }
  }
  return ''
}

const COMMANDS = [
  'HELO',
  'EHLO',
  'STARTTLS',
  'AUTH PLAIN',
  'AUTH LOGIN',
  'AUTH CRAM-',
  'AUTH DIGEST-',
  'MAIL F',
  'RCPT',
  'RCPT T',
  'DATA',
  'QUIT',
  'XFORWARD'
]

/** The last SMTP command mentioned in the text ("... in reply to RCPT TO command", ">>> DATA"). */
export function findCommand(text: string): string {
  if (!text) return ''
  const up = ' ' + text.toUpperCase() + ' '
  let best = ''
  let bestPos = -1
  for (const e of COMMANDS) {
    const p = up.indexOf(e)
    if (p < 0) continue
    if (!e.includes(' ')) {
      const a = up[p - 1]
      const z = up[p + e.length]
      if (/[0-9A-Z@`a-z]/.test(a) || /[0-9A-Z@`a-z]/.test(z)) continue
    }
    const cmd = e.startsWith('STAR') ? 'STARTTLS' : e.startsWith('XFOR') ? 'XFORWARD' : e.slice(0, 4)
    if (p > bestPos) {
      bestPos = p
      best = cmd
    }
  }
  return best
}

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { messageBody, neutraliseHtml } from './body'

describe('neutraliseHtml', () => {
  it('removes scripts and rewrites every remote reference so nothing is fetched', () => {
    const { html, blocked } = neutraliseHtml(
      [
        '<html><head><link rel="stylesheet" href="http://t.example/s.css"><meta http-equiv="refresh" content="0;url=http://t.example/">',
        '<style>@import url("http://t.example/i.css"); body{background:url(http://t.example/bg.png)}</style></head>',
        '<body onload="x()"><script>alert(1)</script><img src="http://t.example/p.gif" onerror="y()">',
        '<img srcset=\'http://t.example/a.png 1x\'><table background=http://t.example/t.png><a href="https://t.example/c">c</a>',
        '<a href="javascript:alert(2)">j</a><img src="data:image/png;base64,iVBORw0KGgo="><img src="cid:logo@x"></body></html>'
      ].join('')
    )
    expect(html).not.toMatch(/<script|onload=|onerror=|<link|http-equiv="refresh"|@import/i)
    // No attribute that a browser loads still points at the tracker.
    expect(html).not.toMatch(/\s(src|srcset|background|href)\s*=\s*["']?(https?:|javascript:)/i)
    expect(html).not.toMatch(/url\(\s*['"]?http/i)
    expect(html).toContain('data-dd-blocked-src="http://t.example/p.gif"')
    // Inline data: and cid: images are kept (they fetch nothing).
    expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo="')
    expect(html).toContain('src="cid:logo@x"')
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/)
    expect(blocked).toBeGreaterThanOrEqual(9)
  })
})

describe('messageBody', () => {
  it('returns the text part as text and the HTML neutralised', async () => {
    const bytes = new Uint8Array(readFileSync(join(__dirname, '../../../../e2e/data/diag-xss.eml')))
    const b = await messageBody(bytes)
    expect(b.text).toContain('Your invoice is overdue. <script>') // text stays text: the UI escapes it
    expect(b.html).toContain('<b>overdue</b>')
    expect(b.html).not.toMatch(/<script/i)
    expect(b.html).toContain('data-dd-blocked-src="http://tracker.evil.example/pixel.gif?id=42"')
    expect(b.html).not.toMatch(/\ssrc="http/)
    expect(b.blockedRemote).toBeGreaterThanOrEqual(5)
  })
})

import { parseMessage, parseMsg, sniffInput } from '../mime'

/**
 * The body of a stored message, for reading: text as text, HTML made inert.
 *
 * The renderer shows the HTML inside `<iframe sandbox="" srcdoc>` (no scripts, unique origin) under the page's CSP;
 * this function is the third layer: every reference that would make the viewer fetch something — img/src, srcset,
 * background, poster, <link>, CSS url() and @import, meta refresh, and link targets — is rewritten so that opening
 * a message never fires a tracking pixel (the read receipt the sender did not ask for; cf. RFC 8098 §1 on
 * disposition notifications needing consent). A CSP meta element in the document itself blocks whatever a rewrite
 * might miss.
 */

export interface MessageBody {
  text: string
  html?: string
  /** How many remote references were neutralised in the HTML. */
  blockedRemote: number
}

const INERT_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; form-action 'none'; base-uri 'none'"

const REMOTE = /^\s*(?!data:|cid:|#)[^\s]/i

export function neutraliseHtml(html: string): { html: string; blocked: number } {
  let blocked = 0
  let out = html
    // Elements that run code, load documents or change where relative URLs point.
    .replace(
      /<(script|iframe|frame|frameset|object|embed|applet|noscript|template)\b[\s\S]*?<\/\1\s*>/gi,
      () => {
        blocked++
        return ''
      }
    )
    .replace(/<(script|iframe|frame|object|embed|applet|link|base|meta|portal)\b[^>]*>/gi, (m) => {
      // A lone <meta charset> is harmless; every other meta (refresh, CSP of the sender) is dropped.
      if (/^<meta\s+charset=/i.test(m)) return m
      blocked++
      return ''
    })
    // Event handler attributes (onerror=, onload= ...): inert in the sandbox anyway, removed so nothing relies on it.
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    // Attributes that fetch: keep the value visible for the curious, under a name no browser loads.
    .replace(
      /(\s)(src|srcset|background|poster|lowsrc|dynsrc|data|action|formaction|href|xlink:href|ping|longdesc|cite|manifest)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi,
      (m, sp: string, name: string, _v: string, d?: string, s?: string, b?: string) => {
        const value = d ?? s ?? b ?? ''
        if (!REMOTE.test(value) && !/^\s*javascript:/i.test(value)) return m
        blocked++
        return `${sp}data-dd-blocked-${name.toLowerCase().replace(':', '-')}="${value.replace(/"/g, '&quot;')}"`
      }
    )
  // CSS: url(...) to anything but data:, and @import.
  out = out
    .replace(/@import\s+[^;]+;?/gi, () => {
      blocked++
      return ''
    })
    .replace(/url\(\s*(['"]?)(?!data:)([^'")]*)\1\s*\)/gi, () => {
      blocked++
      return 'url(data:,)'
    })
    .replace(/expression\s*\(/gi, 'blocked(')
  const meta = `<meta http-equiv="Content-Security-Policy" content="${INERT_CSP}">`
  out = /<head[^>]*>/i.test(out) ? out.replace(/<head[^>]*>/i, (h) => `${h}${meta}`) : `${meta}${out}`
  return { html: out, blocked }
}

/** Parses stored bytes on demand: the analysis keeps no bodies (a 50 MB message must not bloat every case load). */
export async function messageBody(content: Uint8Array, maxText = 1_000_000): Promise<MessageBody> {
  const sniff = sniffInput(content)
  if (sniff.kind === 'error') return { text: '', blockedRemote: 0 }
  if (sniff.kind === 'smtp-text')
    return { text: new TextDecoder().decode(content).slice(0, maxText), blockedRemote: 0 }
  const msg = sniff.kind === 'msg' ? parseMsg(content) : await parseMessage(content, { keepContentMax: 0 })
  const text = msg.text.length > maxText ? `${msg.text.slice(0, maxText)}\n…` : msg.text
  if (!msg.html) return { text, blockedRemote: 0 }
  const { html, blocked } = neutraliseHtml(msg.html.slice(0, 5_000_000))
  return { text, html, blockedRemote: blocked }
}

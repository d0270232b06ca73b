import { ADDR_RE, before, commandOf, squash, type FormatParser } from './types'

/**
 * DragonFly Mail Agent (dma). Layout (sisimai go-sisimai lhost/dragonfly.go):
 *   This is the DragonFly Mail Agent v0.13 at host.
 *   There was an error delivering your mail to <rcpt>.
 *   mx.example [192.0.2.1] did not like our RCPT TO:
 *   550 5.1.1 <rcpt>: Recipient address rejected: User unknown
 *   Message headers follow.
 */
const RCPT = new RegExp(`^There was an error delivering your mail to <(${ADDR_RE})>`)

export const dragonfly: FormatParser = {
  name: 'DragonFly',
  parse({ body }) {
    if (!body.includes('This is the DragonFly Mail Agent')) return undefined
    const lines = before(body, /^Message headers follow\./m).split('\n')
    const out: { recipient: string; lines: string[] }[] = []
    for (const l of lines) {
      const m = RCPT.exec(l)
      if (m) out.push({ recipient: m[1], lines: [] })
      else if (out.length > 0 && l.trim()) out[out.length - 1].lines.push(l)
    }
    return out.map((o) => {
      const diag = squash(o.lines.join(' '))
      const liked = /did not like our ([A-Z ]+):/.exec(diag)
      return {
        recipient: o.recipient,
        diagnosticCode: diag,
        command: liked ? commandOf(liked[1]) : undefined,
        remoteMta: /^(\S+) \[[^\]]+\] did not like/.exec(o.lines[0] ?? '')?.[1],
        // "Could not deliver for the last N seconds. Giving up." is dma's queue lifetime (dma.c)
        ...(/Could not deliver for the last \d+ seconds/.test(diag) ? { reason: 'expired' } : {})
      }
    })
  }
}

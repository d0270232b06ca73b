/**
 * A stub-resolver query sent with dns-packet over UDP (TCP when the answer has TC=1), for the names c-ares will
 * not send.
 *
 * Why: c-ares checks query names against a host-name character set (letters, digits and a few marks such
 * as `-`, `_`, `/`) and fails anything else (`:`, `%`, space, `@`...) with EBADNAME before sending anything.
 * DNS itself has no such rule: a label may hold any octet (RFC 2181 §11), and SPF domain-specs may hold any
 * visible character but `%` after macro expansion
 * (RFC 7208 §7.1), so a policy such as `a:foo:bar/baz.example.com` or `a:macro%%percent%_space.example.com`
 * (the RFC 7208 / 4408 test suites' a-colon-domain, mx-colon-domain and macro-mania-in-domain) must be looked
 * up and its answer used. Reporting EBADNAME as "could not check" turned those into temperrors.
 *
 * The results take the shapes node's `dns.promises.Resolver` methods return (resolve4, resolveTxt, resolveMx,
 * resolveSoa...), including c-ares' text forms (TXT character-strings as latin1, names in presentation format
 * with `\c`/`\DDD` escapes, IPv6 as inet_ntop prints it), so resolver.ts shapes both paths with one function.
 * Retry semantics follow c-ares: `tries` rounds over the servers, each attempt waiting `timeoutMs`; SERVFAIL,
 * NOTIMP and REFUSED move on to the next attempt; the last attempt's outcome is reported.
 */
import dgram from 'node:dgram'
import net from 'node:net'
import { randomInt } from 'node:crypto'
import * as packet from 'dns-packet'
import type { DnsRrType, DnsStatus } from '../../core/dns/types'

export interface WireQueryOptions {
  /** "IP", "IP:port" or "[IPv6]:port", as `Resolver.getServers()` lists them. */
  servers: string[]
  timeoutMs: number
  tries: number
}

/** What node's Resolver method for the type would have returned (SOA: one object, like resolveSoa). */
export type NodeShapedRecords =
  | string[]
  | string[][]
  | { exchange: string; priority: number }[]
  | {
      nsname: string
      hostmaster: string
      serial: number
      refresh: number
      retry: number
      expire: number
      minttl: number
    }

export type WireResult =
  { status: 'ok'; records: NodeShapedRecords } | { status: Exclude<DnsStatus, 'ok'>; error?: string }

const RCODE_STATUS: Record<number, Exclude<DnsStatus, 'ok'>> = { 2: 'servfail', 3: 'nxdomain', 5: 'refused' }
const RCODE_NAME: Record<number, string> = {
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED'
}
/** c-ares moves on to the next attempt on these (ares_process.c); any other error rcode ends the query. */
const RETRIED_RCODES = new Set([2, 4, 5])

/** Parse "IP", "IP:port", "[IPv6]:port" (c-ares' server syntax). */
export function parseServer(s: string): { host: string; port: number } | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s)
  if (bracketed)
    return net.isIPv6(bracketed[1]) ? { host: bracketed[1], port: Number(bracketed[2] ?? 53) } : undefined
  if (net.isIP(s)) return { host: s, port: 53 }
  const hostPort = /^([^:]+):(\d+)$/.exec(s)
  if (hostPort && net.isIPv4(hostPort[1])) return { host: hostPort[1], port: Number(hostPort[2]) }
  return undefined
}

function utf8(ch: string): number[] {
  return [...Buffer.from(ch, 'utf8')]
}

/**
 * The wire labels of a name in presentation format, reading c-ares' escapes (`\.`, `\\`, `\DDD`, RFC 1035
 * §5.1) so a name c-ares returned (say an MX exchange `a\@b.example`) is queried as the same octets.
 */
export function wireLabels(name: string): Buffer[] {
  if (name === '' || name === '.') return []
  const labels: Buffer[] = []
  let cur: number[] = []
  const chars = [...name]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]
    if (c === '\\' && i + 1 < chars.length) {
      const ddd = /^\d{3}$/.test(chars.slice(i + 1, i + 4).join(''))
        ? Number(chars.slice(i + 1, i + 4).join(''))
        : -1
      if (ddd >= 0 && ddd <= 255) {
        cur.push(ddd)
        i += 3
      } else {
        cur.push(...utf8(chars[++i]))
      }
    } else if (c === '.') {
      labels.push(Buffer.from(cur))
      cur = []
    } else cur.push(...utf8(c))
  }
  // A trailing unescaped dot ends the name (absolute form); it is not an empty label.
  if (cur.length || chars[chars.length - 1] !== '.') labels.push(Buffer.from(cur))
  return labels
}

/** RFC 1035 §2.3.4 / §3.1: every label 1–63 octets, the whole name at most 255 octets on the wire. */
export function isWireLegal(labels: Buffer[]): boolean {
  const wireLength = labels.reduce((n, l) => n + 1 + l.length, 1)
  return wireLength <= 255 && labels.every((l) => l.length >= 1 && l.length <= 63)
}

function wireName(labels: Buffer[]): Buffer {
  return Buffer.concat([...labels.flatMap((l) => [Buffer.from([l.length]), l]), Buffer.from([0])])
}

/** c-ares' reserved characters in names, printed with a backslash (ares_dns_name.c is_reservedch). */
const RESERVED = new Set(['"', '.', ';', '\\', '(', ')', '@', '$'])

/**
 * A name dns-packet decoded (labels as UTF-8 text joined with dots) in c-ares' presentation form: reserved
 * characters backslash-escaped, octets outside printable ASCII as `\DDD`. With `mail`, dns-packet has already
 * written a dot inside a label as `\.` (SOA RNAME). A literal dot inside any other label, and octets that are not
 * UTF-8, do not survive dns-packet's decoding; no SPF or mail-diagnosis name needs them.
 */
export function presentationName(decoded: string, mail = false): string {
  if (decoded === '' || decoded === '.') return decoded
  let out = ''
  const chars = [...decoded]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]
    if (mail && c === '\\' && chars[i + 1] === '.') {
      out += '\\.'
      i++
    } else if (c === '.') out += '.'
    else
      for (const b of utf8(c)) {
        const ch = String.fromCharCode(b)
        if (RESERVED.has(ch)) out += '\\' + ch
        else if (b < 0x20 || b > 0x7e) out += '\\' + String(b).padStart(3, '0')
        else out += ch
      }
  }
  return out
}

/** IPv6 text as BSD/c-ares inet_ntop prints it (longest zero run as `::`, first on a tie; IPv4 tail forms). */
export function ipv6Text(groups: number[]): string {
  let best = { base: -1, len: 0 }
  let cur = { base: -1, len: 0 }
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && groups[i] === 0) {
      cur = cur.base < 0 ? { base: i, len: 1 } : { base: cur.base, len: cur.len + 1 }
    } else if (cur.base >= 0) {
      if (best.base < 0 || cur.len > best.len) best = cur
      cur = { base: -1, len: 0 }
    }
  }
  if (best.len < 2) best = { base: -1, len: 0 }
  let out = ''
  for (let i = 0; i < 8; i++) {
    if (best.base >= 0 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':'
      continue
    }
    if (i !== 0) out += ':'
    const v4Tail =
      best.base === 0 &&
      (best.len === 6 || (best.len === 7 && groups[7] !== 1) || (best.len === 5 && groups[5] === 0xffff))
    if (i === 6 && v4Tail) {
      out += [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.')
      break
    }
    out += groups[i].toString(16)
  }
  if (best.base >= 0 && best.base + best.len === 8) out += ':'
  return out
}

/** dns-packet's AAAA text (hex groups, maybe one `::`) → eight 16-bit groups. */
function ipv6Groups(text: string): number[] {
  const [head, tail] = text.split('::')
  const parse = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : [])
  const h = parse(head)
  const t = parse(tail)
  return tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t]
}

function recordsOf(res: packet.DecodedPacket, type: DnsRrType): NodeShapedRecords | undefined {
  const rrs = (res.answers ?? [])
    .filter((a) => a.type === type && (a.class ?? 'IN') === 'IN')
    .map((a) => ({ data: (a as { data: unknown }).data }))
  if (!rrs.length) return undefined
  switch (type) {
    case 'A':
      return rrs.map((a) => String(a.data))
    case 'AAAA':
      return rrs.map((a) => ipv6Text(ipv6Groups(String(a.data))))
    case 'TXT':
      // node builds TXT strings byte-per-character (latin1) from c-ares' character-strings.
      return rrs.map((a) => (a.data as Buffer[]).map((b) => Buffer.from(b).toString('latin1')))
    case 'MX':
      return rrs.map((a) => {
        const mx = a.data as { preference?: number; exchange: string }
        return { exchange: presentationName(mx.exchange), priority: mx.preference ?? 0 }
      })
    case 'PTR':
    case 'CNAME':
    case 'NS':
      return rrs.map((a) => presentationName(String(a.data)))
    case 'SOA': {
      const soa = rrs[0].data as packet.SoaData
      return {
        nsname: presentationName(soa.mname),
        hostmaster: presentationName(soa.rname, true),
        serial: soa.serial ?? 0,
        refresh: soa.refresh ?? 0,
        retry: soa.retry ?? 0,
        expire: soa.expire ?? 0,
        minttl: soa.minimum ?? 0
      }
    }
  }
}

type Exchange = { res: packet.DecodedPacket } | { timeout: true } | { error: string }

/** Decode a response and accept it only if it answers our question (id, QR, name, type, class), as c-ares does. */
function matching(buf: Buffer, id: number, qname: string, type: DnsRrType): packet.DecodedPacket | undefined {
  let res: packet.DecodedPacket
  try {
    res = packet.decode(buf)
  } catch {
    return undefined
  }
  const q = res.questions?.[0]
  if (res.id !== id || res.type !== 'response' || res.questions?.length !== 1 || !q) return undefined
  if (q.name.toLowerCase() !== qname.toLowerCase() || q.type !== type || (q.class ?? 'IN') !== 'IN')
    return undefined
  return res
}

function overUdp(
  server: { host: string; port: number },
  query: Buffer,
  accept: (b: Buffer) => packet.DecodedPacket | undefined,
  timeoutMs: number
): Promise<Exchange> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4')
    let finished = false
    const done = (r: Exchange): void => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      sock.close()
      resolve(r)
    }
    const timer = setTimeout(() => done({ timeout: true }), timeoutMs)
    // connect() so only the server's datagrams reach us; an ICMP port-unreachable surfaces as an error.
    sock.on('error', (err) =>
      done({ error: `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}` })
    )
    sock.on('message', (msg) => {
      const res = accept(msg)
      if (res) done({ res })
    })
    sock.connect(server.port, server.host, () => sock.send(query))
  })
}

function overTcp(
  server: { host: string; port: number },
  query: Buffer,
  accept: (b: Buffer) => packet.DecodedPacket | undefined,
  timeoutMs: number
): Promise<Exchange> {
  return new Promise((resolve) => {
    let pending = Buffer.alloc(0)
    const sock = net.connect({ host: server.host, port: server.port })
    let finished = false
    const done = (r: Exchange): void => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      sock.destroy()
      resolve(r)
    }
    const timer = setTimeout(() => done({ timeout: true }), timeoutMs)
    sock.on('error', (err) =>
      done({ error: `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}` })
    )
    sock.on('close', () => done({ error: 'ECONNRESET: TCP connection closed before the answer' }))
    sock.on('connect', () =>
      sock.write(Buffer.concat([Buffer.from([query.length >> 8, query.length & 0xff]), query]))
    )
    sock.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk])
      if (pending.length < 2 || pending.length < 2 + pending.readUInt16BE(0)) return
      const res = accept(pending.subarray(2, 2 + pending.readUInt16BE(0)))
      done(res ? { res } : { error: 'EBADRESP: TCP answer does not match the question' })
    })
  })
}

/**
 * Query `name` (presentation format) for `type`. The caller has checked the name is legal on the wire
 * (`isWireLegal(wireLabels(name))`).
 */
export async function wireQuery(name: string, type: DnsRrType, opts: WireQueryOptions): Promise<WireResult> {
  const labels = wireLabels(name)
  const servers = opts.servers.map(parseServer).filter((s) => s !== undefined)
  if (!servers.length) return { status: 'error', error: 'ECONNREFUSED: no usable DNS server configured' }

  // dns-packet takes a dotted string and writes each label as UTF-8; check it wrote exactly our octets (it
  // cannot carry a dot inside a label or octets that are not UTF-8).
  const qname = labels.map((l) => l.toString('utf8')).join('.')
  const expected = wireName(labels)
  const attempts = Math.max(1, opts.tries) * servers.length
  let last: WireResult = { status: 'timeout', error: 'ETIMEOUT: no answer' }
  for (let attempt = 0; attempt < attempts; attempt++) {
    const server = servers[attempt % servers.length]
    const id = randomInt(0, 0x10000)
    const query = packet.encode({
      id,
      type: 'query',
      flags: packet.RECURSION_DESIRED,
      questions: [{ name: qname, type, class: 'IN' }]
    })
    if (!query.subarray(12, 12 + expected.length).equals(expected))
      return { status: 'error', error: `EBADNAME: ${name} cannot be encoded as its wire octets` }
    const accept = (b: Buffer): packet.DecodedPacket | undefined => matching(b, id, qname, type)
    let ex = await overUdp(server, query, accept, opts.timeoutMs)
    // RFC 1035 §4.2.1, RFC 7766 §5: a truncated UDP answer is retried over TCP.
    if ('res' in ex && (ex.res.flags ?? 0) & packet.TRUNCATED_RESPONSE)
      ex = await overTcp(server, query, accept, opts.timeoutMs)
    if ('timeout' in ex) {
      last = { status: 'timeout', error: `ETIMEOUT: no answer from ${server.host}:${server.port}` }
      continue
    }
    if ('error' in ex) {
      last = { status: 'error', error: ex.error }
      continue
    }
    const rcode = (ex.res.flags ?? 0) & 0xf
    if (rcode === 0) {
      const records = recordsOf(ex.res, type)
      return records ? { status: 'ok', records } : { status: 'nodata' }
    }
    const status = RCODE_STATUS[rcode] ?? 'error'
    if (status === 'nxdomain') return { status }
    last = { status, error: `${RCODE_NAME[rcode] ?? `rcode ${rcode}`} from ${server.host}:${server.port}` }
    if (!RETRIED_RCODES.has(rcode)) return last
  }
  return last
}

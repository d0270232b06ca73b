/**
 * A real authoritative-style DNS server on 127.0.0.1 (random port) for integration tests, benchmarks and the
 * SPF test-suite evaluation. It speaks the wire protocol over UDP and TCP (RFC 1035 §4.2.1/§4.2.2; TCP frames
 * carry a 2-byte length prefix, RFC 7766 §8) so the code under test goes through node's c-ares exactly as in
 * production: TC=1 over UDP for answers that do not fit (512 bytes, or the client's EDNS size, RFC 6891
 * §6.2.5), then the client's retry over TCP.
 *
 * Zone format (shared with zoneClient; full details in src/main/core/dns/zone.ts):
 *
 *   {
 *     'example.com':      { A: ['192.0.2.1'], MX: [{ exchange: 'mx.example.com', priority: 10 }],
 *                           TXT: ['v=spf1 -all', ['two', 'character-strings']] },
 *     'www.example.com':  { CNAME: 'example.com' },
 *     '*.dnsbl.example':  { A: ['127.0.0.2'] },                  // wildcard
 *     'dnsbl.example':    { delayMs: 40 },                        // per-zone latency, inherited below
 *     'broken.example':   { behaviour: 'servfail' },              // or 'refused' | 'timeout' (never answers)
 *   }
 *
 * Unknown names → NXDOMAIN (with an SOA in the authority section, minimum 0, RFC 2308 §3); an existing name
 * without the requested type → NODATA; CNAMEs are chased inside the fixture.
 *
 * Names may hold any character a label may hold (RFC 2181 §11), e.g. the SPF suites' `foo:bar/baz.example.com`
 * or `macro%percent  space%20url-space.example.com`: dns-packet decodes labels as UTF-8 text and encodes them
 * back, and zone keys are matched as that text. (c-ares will not send such names; the app's resolver sends them
 * itself, src/main/core/dns/wire-query.ts.) A literal dot inside a label is not representable in zone keys.
 */
import dgram from 'node:dgram'
import net from 'node:net'
import * as packet from 'dns-packet'
import {
  lookupZone,
  normaliseName,
  normaliseZones,
  type ZoneEntry,
  type ZoneRr,
  type ZoneRrType,
  type Zones
} from '../../src/main/core/dns/zone'

export type { Zones, ZoneEntry } from '../../src/main/core/dns/zone'

export interface LoggedQuery {
  name: string
  type: string
  transport: 'udp' | 'tcp'
  at: number
}

export interface DnsTestServer {
  host: string
  port: number
  /** "127.0.0.1:PORT", ready for ResolverOptions.servers. */
  address: string
  setZones(zones: Zones): void
  /** Replace one record type of one name (creating the name if needed). */
  setRecord<K extends keyof ZoneEntry>(name: string, type: K, values: ZoneEntry[K]): void
  deleteName(name: string): void
  queries: LoggedQuery[]
  close(): Promise<void>
}

export interface DnsServerOptions {
  zones?: Zones
}

// dns-packet carries the RCODE in the low 4 bits of `flags` (RFC 1035 §4.1.1); it ignores an `rcode` field.
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const

const SUPPORTED: ZoneRrType[] = ['A', 'AAAA', 'TXT', 'SPF', 'MX', 'CNAME', 'PTR', 'NS', 'SOA']

function txtRdata(strings: string[]): Buffer {
  const parts: Buffer[] = []
  for (const s of strings) {
    const b = Buffer.from(s, 'utf8')
    parts.push(Buffer.from([b.length]), b)
  }
  return Buffer.concat(parts)
}

function toWire(rr: ZoneRr): packet.Answer {
  const base = { name: rr.name, ttl: rr.ttl, class: 'IN' as const }
  switch (rr.type) {
    case 'TXT':
      // Fresh Buffers: dns-packet mutates the array it is given.
      return { ...base, type: 'TXT', data: (rr.data as string[]).map((s) => Buffer.from(s, 'utf8')) }
    case 'SPF':
      // dns-packet has no SPF codec; RFC 4408 §3.1.1 gives it TXT's RDATA format.
      return { ...base, type: 'SPF', data: txtRdata(rr.data as string[]) } as unknown as packet.Answer
    case 'MX': {
      const mx = rr.data as { exchange: string; priority: number }
      return { ...base, type: 'MX', data: { preference: mx.priority, exchange: mx.exchange } }
    }
    default:
      return { ...base, type: rr.type as 'A', data: rr.data as string }
  }
}

function soaFor(qname: string): packet.Answer {
  const labels = qname.split('.')
  const zone = labels.slice(-2).join('.') || '.'
  return {
    name: zone,
    type: 'SOA',
    ttl: 0,
    class: 'IN',
    data: {
      mname: 'ns.' + zone,
      rname: 'hostmaster.' + zone,
      serial: 1,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: 0
    }
  }
}

export async function startDnsServer(opts: DnsServerOptions = {}): Promise<DnsTestServer> {
  let zones = normaliseZones(opts.zones ?? {})
  const queries: LoggedQuery[] = []
  const timers = new Set<NodeJS.Timeout>()
  const sockets = new Set<net.Socket>()

  /** Build the response, or undefined when the fixture says never to answer. */
  function respond(req: packet.DecodedPacket, transport: 'udp' | 'tcp'): { delayMs: number; res?: Buffer } {
    const q = req.questions?.[0]
    const reqOpt = (req.additionals ?? []).find((a) => a.type === 'OPT') as packet.OptAnswer | undefined
    const base: packet.Packet = {
      id: req.id,
      type: 'response',
      // QR, AA, and echo RD (RFC 1035 §4.1.1).
      flags: packet.AUTHORITATIVE_ANSWER | ((req.flags ?? 0) & packet.RECURSION_DESIRED),
      questions: req.questions,
      answers: [],
      authorities: [],
      additionals: reqOpt
        ? [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: 1232,
              flags: 0,
              options: [],
              extendedRcode: 0,
              ednsVersion: 0,
              flag_do: false
            }
          ]
        : []
    }
    if (!q) return { delayMs: 0, res: packet.encode({ ...base, flags: (base.flags ?? 0) | RCODE.FORMERR }) }
    const qtype = String(q.type).toUpperCase()
    queries.push({ name: normaliseName(q.name), type: qtype, transport, at: Date.now() })
    if (!SUPPORTED.includes(qtype as ZoneRrType)) {
      const res = lookupZone(zones, q.name, 'SOA', true)
      if (res.drop) return { delayMs: res.delayMs }
      return {
        delayMs: res.delayMs,
        res: packet.encode({ ...base, flags: (base.flags ?? 0) | RCODE[res.rcode] })
      }
    }
    const res = lookupZone(zones, q.name, qtype as ZoneRrType, true)
    if (res.drop) return { delayMs: res.delayMs }
    const out = {
      ...base,
      flags: (base.flags ?? 0) | RCODE[res.rcode],
      answers: res.answers.map(toWire),
      authorities:
        res.rcode === 'NXDOMAIN' || (res.rcode === 'NOERROR' && !res.answers.length)
          ? [soaFor(normaliseName(q.name))]
          : []
    } as packet.Packet
    let buf = packet.encode(out)
    if (transport === 'udp') {
      const limit = reqOpt ? Math.max(512, reqOpt.udpPayloadSize ?? 512) : 512
      if (buf.length > limit) {
        // Too big for this datagram: TC=1 with an empty answer so the client retries over TCP.
        buf = packet.encode({
          ...base,
          flags: (base.flags ?? 0) | RCODE[res.rcode] | packet.TRUNCATED_RESPONSE
        })
      }
    }
    return { delayMs: res.delayMs, res: buf }
  }

  function later(ms: number, fn: () => void): void {
    if (ms <= 0) return fn()
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }

  function onUdpMessage(udp: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    let req: packet.DecodedPacket
    try {
      req = packet.decode(msg)
    } catch {
      return
    }
    const { delayMs, res } = respond(req, 'udp')
    if (res) later(delayMs, () => udp.send(res, rinfo.port, rinfo.address, () => undefined))
  }

  const tcp = net.createServer((sock) => {
    sockets.add(sock)
    sock.on('close', () => sockets.delete(sock))
    sock.on('error', () => undefined)
    let pending = Buffer.alloc(0)
    sock.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk])
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0)
        if (pending.length < 2 + len) break
        const frame = pending.subarray(0, 2 + len)
        pending = pending.subarray(2 + len)
        let req: packet.DecodedPacket
        try {
          req = packet.streamDecode(frame) as packet.DecodedPacket
        } catch {
          sock.destroy()
          return
        }
        const { delayMs, res } = respond(req, 'tcp')
        if (res) {
          const framed = Buffer.concat([Buffer.from([res.length >> 8, res.length & 0xff]), res])
          later(delayMs, () => {
            if (!sock.destroyed) sock.write(framed)
          })
        }
      }
    })
  })

  // UDP first on a random port, then TCP on the same port; retry with a new pair if TCP's port is taken.
  let udp: dgram.Socket | undefined
  let port = 0
  for (let attempt = 0; !udp; attempt++) {
    const sock = dgram.createSocket('udp4')
    sock.on('message', (msg, rinfo) => onUdpMessage(sock, msg, rinfo))
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject)
      sock.bind(0, '127.0.0.1', () => {
        sock.off('error', reject)
        resolve()
      })
    })
    port = sock.address().port
    const ok = await new Promise<boolean>((resolve) => {
      const onErr = (): void => resolve(false)
      tcp.once('error', onErr)
      tcp.listen(port, '127.0.0.1', () => {
        tcp.off('error', onErr)
        resolve(true)
      })
    })
    if (ok) udp = sock
    else {
      sock.close()
      if (attempt > 20) throw new Error('dns-server: could not bind UDP and TCP on one port')
    }
  }
  const udpSock = udp

  return {
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    queries,
    setZones(z: Zones) {
      zones = normaliseZones(z)
    },
    setRecord(name, type, values) {
      const n = normaliseName(name)
      zones[n] = { ...(zones[n] ?? {}), [type]: values }
    },
    deleteName(name: string) {
      delete zones[normaliseName(name)]
    },
    async close() {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => udpSock.close(() => r()))
      await new Promise<void>((r) => tcp.close(() => r()))
    }
  }
}

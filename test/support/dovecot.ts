import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A real Dovecot IMAP server for tests (Debian `dovecot-imapd`), never a system service: a throwaway config in a
 * temporary directory, 127.0.0.1 on free ports (implicit TLS and STARTTLS), TLS from a test CA made here with
 * openssl, one user with a password, and a Maildir the test fills.
 */
export interface Dovecot {
  dir: string
  imapsPort: number
  imapPort: number
  user: string
  password: string
  caPem: string
  /** The user's INBOX Maildir (write messages into `${maildir}/new`). */
  maildir: string
  addMessage(name: string, content: string | Buffer): void
  setUidValidity(n: number): void
  stop(): Promise<void>
  start(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer()
    s.once('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => res(port))
    })
  })
}

async function waitForPort(port: number, ms = 15_000): Promise<void> {
  const { connect } = await import('node:net')
  const start = Date.now()
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const c = connect(port, '127.0.0.1')
      c.once('connect', () => {
        c.destroy()
        res(true)
      })
      c.once('error', () => res(false))
    })
    if (ok) return
    if (Date.now() - start > ms) throw new Error(`dovecot did not listen on ${port}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function makeCa(dir: string) {
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  o([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=Delivery Desk test CA'
  ])
  o([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=localhost'
  ])
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n')
  o([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.ext'
  ])
}

export async function startDovecot(opts: { user?: string; password?: string } = {}): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'dd-dovecot-'))
  const user = opts.user ?? 'bounces@example.test'
  const password = opts.password ?? 'correct horse battery staple'
  makeCa(dir)
  const [imapsPort, imapPort] = [await freePort(), await freePort()]
  for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d), { recursive: true })
  const maildir = join(dir, 'mail', user)
  for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, d), { recursive: true })
  // Mail processes must not run as root (Dovecot refuses uid 0): the mail belongs to `nobody`.
  const mailUid = Number(execFileSync('id', ['-u', 'nobody']).toString().trim())
  const mailGid = Number(execFileSync('id', ['-g', 'nobody']).toString().trim())
  const own = () => execFileSync('chown', ['-R', `${mailUid}:${mailGid}`, join(dir, 'mail')])
  own()
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`)
  // Dovecot's auth process runs as the unprivileged `dovecot` user: it must be able to reach the passwd file.
  chmodSync(dir, 0o755)
  chmodSync(join(dir, 'passwd'), 0o644)
  const conf = join(dir, 'dovecot.conf')
  writeFileSync(
    conf,
    `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
instance_name = dd-test-${imapsPort}
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <${dir}/server.crt
ssl_key = <${dir}/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${imapsPort}
    ssl = yes
  }
}
service anvil {
  chroot =
}
service stats {
  inet_listener http {
    port = 0
  }
}
`
  )
  let proc: ChildProcess | undefined
  const start = async () => {
    // Its own process group, so stop() can end the master and every imap child it forked at once.
    proc = spawn('/usr/sbin/dovecot', ['-F', '-c', conf], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true
    })
    let out = ''
    proc.stdout!.on('data', (d) => (out += d))
    proc.stderr!.on('data', (d) => (out += d))
    await Promise.race([
      waitForPort(imapsPort),
      new Promise((_, rej) =>
        proc!.once('exit', (c) => {
          const log = existsSync(join(dir, 'dovecot.log'))
            ? readFileSync(join(dir, 'dovecot.log'), 'utf8')
            : ''
          rej(new Error(`dovecot exited (${c}): ${out}\n${log}`))
        })
      )
    ])
  }
  const stop = async () => {
    if (!proc || proc.exitCode !== null) return
    const p = proc
    await new Promise<void>((res) => {
      p.once('exit', () => res())
      // Like a crash or a pulled cable: the master and its imap children die at once (the group we started).
      try {
        process.kill(-p.pid!, 'SIGKILL')
      } catch {
        p.kill('SIGKILL')
      }
    })
  }
  await start()
  return {
    dir,
    imapsPort,
    imapPort,
    user,
    password,
    caPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    maildir,
    addMessage(name, content) {
      // Maildir delivery: write in tmp/, then rename into new/ (https://cr.yp.to/proto/maildir.html).
      const tmp = join(maildir, 'tmp', name)
      writeFileSync(tmp, content)
      execFileSync('mv', [tmp, join(maildir, 'new', name)])
      own()
    },
    setUidValidity(n) {
      execFileSync('/usr/bin/doveadm', [
        '-c',
        conf,
        'mailbox',
        'update',
        '-u',
        user,
        '--uid-validity',
        String(n),
        'INBOX'
      ])
    },
    stop,
    async start() {
      await start()
    },
    async [Symbol.asyncDispose]() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    }
  } as Dovecot
}

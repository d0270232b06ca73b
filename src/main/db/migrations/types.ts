export interface Migration {
  /** Increasing, starting at 1, never reused (a number reserved by another branch may be skipped). */
  id: number
  name: string
  /** Plain SQL run inside one transaction. Its sha256 is recorded: an applied migration must never change. */
  up: string
}

export interface Migration {
  /** Sequential, starting at 1, never reused. */
  id: number
  name: string
  /** Plain SQL run inside one transaction. Its sha256 is recorded: an applied migration must never change. */
  up: string
}

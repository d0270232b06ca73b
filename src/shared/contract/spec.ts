import type { z } from 'zod'

/** One method of the contract: a zod schema for its input and one for its output. */
export interface MethodSpec {
  input: z.ZodType
  output: z.ZodType
}

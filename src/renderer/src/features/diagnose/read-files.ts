import type { UploadFile } from '@shared/api'

/** Base64 in chunks: String.fromCharCode on a whole 50 MB array would overflow the call stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = ''
  const CHUNK = 0x8000
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode(...bytes.subarray(i, i + CHUNK))
  }
  return btoa(out)
}

export interface TooLarge {
  file: string
  code: 'TOO_LARGE'
  message: string
}

/**
 * Reads dropped files as bytes in the renderer (the same in Electron and a browser). Files over the limit are
 * refused before they are read, so a 200 MB file never reaches memory.
 */
export async function readDroppedFiles(
  files: File[],
  maxMb: number,
  onProgress?: (done: number, total: number) => void
): Promise<{ uploads: UploadFile[]; refused: TooLarge[] }> {
  const uploads: UploadFile[] = []
  const refused: TooLarge[] = []
  let done = 0
  for (const f of files) {
    if (f.size > maxMb * 1024 * 1024) {
      refused.push({
        file: f.name,
        code: 'TOO_LARGE',
        message: `${f.name} is ${(f.size / 1048576).toFixed(1)} MB; the limit is ${maxMb} MB.`
      })
    } else {
      const bytes = new Uint8Array(await f.arrayBuffer())
      uploads.push({ name: f.name, size: f.size, base64: bytesToBase64(bytes) })
    }
    onProgress?.(++done, files.length)
  }
  return { uploads, refused }
}

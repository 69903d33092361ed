// What intake will inflate from a zip, in one place. A submission that breaks a limit is refused with an
// IntakeError naming the zip, the entry and the limit: nothing is inflated in memory, table entries are
// inflated streaming to the job's work folder, and any other entry is listed (IDSFMT04) and never inflated.

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export interface IntakeLimits {
  /** Total uncompressed bytes of the table entries of a zip (declared and actually inflated). */
  maxTotalUncompressedBytes: number;
  /** Largest uncompressed ÷ compressed size of one entry; above it the entry is a zip bomb. */
  maxCompressionRatio: number;
  /** The ratio limit applies to entries larger than this (tiny files compress absurdly well). */
  ratioAppliesAboveBytes: number;
  /** Entries in the zip's central directory, of any kind. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: Readonly<IntakeLimits> = Object.freeze({
  maxTotalUncompressedBytes: 4 * GiB,
  maxCompressionRatio: 1000,
  ratioAppliesAboveBytes: 1 * MiB,
  maxEntries: 10_000,
});

export const limitsWith = (overrides: Partial<IntakeLimits> = {}): IntakeLimits => ({ ...DEFAULT_LIMITS, ...overrides });

/** Bytes as a short human size (limits in messages). */
export function size(bytes: number): string {
  if (bytes >= GiB) return `${+(bytes / GiB).toFixed(2)} GiB`;
  if (bytes >= MiB) return `${+(bytes / MiB).toFixed(2)} MiB`;
  return `${bytes} bytes`;
}

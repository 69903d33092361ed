// Synthetic months submitted through the real store, received inside their windows.
import { join } from 'node:path';
import { addMonths } from '../../src/synth/calendar.js';
import { generate, type SynthFile } from '../../src/synth/generate.js';
import { submit, type SubmitOptions } from '../../src/store/submit.js';

/** A received time inside the Primary (or Refresh) window of the period: the 24th of the month after (or two after). */
export function receivedFor(period: string, fileType: 'primary' | 'refresh'): string {
  return `${addMonths(period, fileType === 'primary' ? 1 : 2)}-24T10:00:00`;
}

export function synthMonths(out: string, months: string, providers = 1, refresh = false) {
  return generate({ providers, months, seed: 'store', out, scale: 'small', refresh, defects: 0 });
}

export async function submitFile(synthDir: string, f: SynthFile, dataDir: string, extra: Partial<SubmitOptions> = {}) {
  return submit(join(synthDir, f.path), { dataDir, received: receivedFor(f.period, f.fileType), referenceDir: join(synthDir, 'reference'), ...extra });
}

// A provider's own headline figures for a month, unrounded and unsuppressed: computed by the same measure
// definitions as the publication (src/measures/catalogue/), over the provider's own pathways only. Disclosure
// control protects people in published figures; a provider may see its own counts exactly (as it sees its own
// records in its extract), so the portal's benchmarking shows them beside the published, disclosure-controlled
// figures of England and its peers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureById, withDependencies } from './catalogue/index.js';
import { computeMeasures } from './compute.js';
import { monthPeriod } from './periods.js';
import { openPeriod } from './publish/index.js';
import { HEADLINE_MEASURES } from './publish/summary.js';

export interface ProviderFigure {
  id: string;
  label: string;
  statistic: string;
  /** Unrounded; null where the measure is undefined (no rows, or a zero denominator). */
  value: number | null;
}

export async function providerFigures(options: { dataDir: string; period: string; provider: string; referenceDir?: string }): Promise<ProviderFigure[]> {
  const headline = HEADLINE_MEASURES.filter(([id]) => measureById(id));
  const definitions = withDependencies(headline.map(([id]) => measureById(id)!));
  const period = monthPeriod(options.period);
  const spill = mkdtempSync(join(tmpdir(), 'iapt-figures-'));
  try {
    const { db, units } = await openPeriod(options.dataDir, period, definitions, [], spill, options.referenceDir);
    try {
      const values = await computeMeasures(db, { definitions, period, groups: ['Provider'], units });
      const own = values.filter((v) => v.org1 === options.provider);
      return headline.map(([id, label]) => ({ id, label, statistic: measureById(id)!.statistic, value: own.find((v) => v.measure.id === id)?.value ?? null }));
    } finally {
      db.close();
    }
  } finally {
    rmSync(spill, { recursive: true, force: true });
  }
}

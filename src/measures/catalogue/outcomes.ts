// Clinical outcomes of finishers (metadata_measures_monthly M179–M210): caseness, recovery, reliable change.
import { ENDED, FINISHED, and, type Gap, type MeasureDefinition } from '../definition.js';

const finishers = (where: string) => ({ date: ENDED, where: and(FINISHED, where) });

export const OUTCOMES: readonly MeasureDefinition[] = [
  { id: 'M179', name: 'Count_NotAtCaseness', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('NotCaseness_Flag') },
  { id: 'M180', name: 'Percentage_NotAtCaseness', frequency: 'Monthly', statistic: 'percentage', numerator: ['M179'], denominator: ['M076'] },
  { id: 'M185', name: 'Count_ReliableImprovement', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('ReliableImprovement_Flag') },
  { id: 'M186', name: 'Percentage_ReliableImprovement', frequency: 'Monthly/Quarterly', statistic: 'percentage', numerator: ['M185'], denominator: ['M076'] },
  { id: 'M187', name: 'Count_NoReliableChange', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('NoChange_Flag') },
  { id: 'M189', name: 'Count_ReliableDeterioration', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('ReliableDeterioration_Flag') },
  { id: 'M1010', name: 'Percentage_ReliableDeterioration', frequency: 'Monthly/Quarterly', statistic: 'percentage', numerator: ['M189'], denominator: ['M076'] },
  { id: 'M191', name: 'Count_Recovery', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('Recovery_Flag') },
  { id: 'M192', name: 'Percentage_Recovery', frequency: 'Monthly/Quarterly', statistic: 'percentage', numerator: ['M191'], denominator: ['M076', '-M179'] },
  { id: 'M193', name: 'Count_ReliableRecovery', frequency: 'Monthly/Quarterly', statistic: 'count', ...finishers('Recovery_Flag AND ReliableImprovement_Flag') },
  { id: 'M195', name: 'Percentage_ReliableRecovery', frequency: 'Monthly/Quarterly', statistic: 'percentage', numerator: ['M193'], denominator: ['M076', '-M179'] },
];

export const OUTCOMES_GAPS: readonly Gap[] = [];

import { describe, expect, it } from 'vitest';
import {
  ASSESSMENT_TOOLS,
  CODE_LISTS,
  codeList,
  OUTCOME_MEASURES,
  PROBLEM_DESCRIPTORS,
  REMOVED_IN_V21,
  RENAMED_IN_V21,
  TABLE_NAMES,
  TABLES,
  THERAPY_TYPES,
  findTable,
  item,
  problemDescriptorOf,
  anxietyMeasureFor,
  atCaseness,
  outcomeMeasure,
} from '../../src/dataset/index.js';

describe('the IAPT v2.1 spec', () => {
  it('has all 21 tables under their IDB names, in record-tree order', () => {
    expect(TABLES.map((t) => t.name)).toEqual([...TABLE_NAMES]);
    expect(TABLES).toHaveLength(21);
    expect(TABLES[0]!.name).toBe('IDS000Header');
    expect(TABLES[20]!.name).toBe('IDS902CarePersQual');
  });

  it('gives every item a UID of its table, an element name, a format and a mandation', () => {
    for (const t of TABLES) {
      const names = new Set<string>();
      for (const i of t.items) {
        expect(i.uid, `${t.name}.${i.name}`).toMatch(new RegExp(`^I${t.id.slice(3)}(\\d{3})$`));
        expect(i.element.length).toBeGreaterThan(3);
        expect(['M', 'R', 'O']).toContain(i.mandation);
        expect(names.has(i.name), `${t.name}.${i.name} twice`).toBe(false);
        names.add(i.name);
      }
    }
  });

  it('points every foreign key and parent at an existing table and item', () => {
    for (const t of TABLES) {
      if (t.parent) expect(item(t.parent.table, t.parent.item).name).toBe(t.parent.item);
      for (const i of t.items) if (i.fk) expect(item(i.fk.table, i.fk.item)).toBeDefined();
      for (const k of t.uniqueKey) expect(item(t.name, k), `${t.name} key ${k}`).toBeDefined();
    }
    expect(findTable('IDS201')!.parent).toEqual({ table: 'IDS101Referral', item: 'ServiceRequestId' });
    expect(findTable('IDS607CodedScoreAssessmentAct')!.parent).toEqual({ table: 'IDS202CareActivity', item: 'CareActId' });
    expect(findTable('IDS902')!.parent).toBeUndefined();
  });

  it('resolves every code list an item names, and code lists have unique codes', () => {
    for (const t of TABLES) for (const i of t.items) if (i.codeList) expect(codeList(i.codeList).values.length).toBeGreaterThan(0);
    for (const c of CODE_LISTS) expect(new Set(c.values.map((v) => v.code)).size).toBe(c.values.length);
  });

  it('keeps the NHS code lists of the v2.0 rule set (IDS10136 EndCode, IDS20156 AppType) with the v2.1 AppType 10 (EA280)', () => {
    expect(codeList('EndCode').values.map((v) => v.code).sort()).toEqual(['10', '11', '12', '13', '14', '16', '17', '46', '47', '48', '49', '50', '95', '96']);
    expect(codeList('AppType').values.map((v) => v.code)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '10']);
    expect(item('IDS201CareContact', 'AttendOrDNACode').codeList).toBe('AttendOrDNACode');
  });

  it('records the v2.0 → v2.1 renames and removals', () => {
    expect(RENAMED_IN_V21.map((r) => `${r.v20}->${r.v21}`)).toEqual(['SourceOfReferralMH->SourceOfReferralIAPT', 'ConsMediumUsed->ConsMechanism']);
    for (const r of RENAMED_IN_V21) expect(item(r.table, r.v21).uid).toBe(r.uid);
    for (const r of REMOVED_IN_V21) expect(findTable(r.table)!.items.some((i) => i.name === r.item.name)).toBe(false);
    expect(findTable('IDS003AccommStatus')!.since).toBe('2.1');
    expect(findTable('IDS601MedHistPrevDiag')!.since).toBe('2.1');
  });

  it('lists assessment tools with distinct SNOMED codes and valid ranges', () => {
    expect(new Set(ASSESSMENT_TOOLS.map((a) => a.snomed)).size).toBe(ASSESSMENT_TOOLS.length);
    const phq9 = ASSESSMENT_TOOLS.find((a) => a.key === 'PHQ9')!;
    expect(phq9).toMatchObject({ snomed: '720433000', score: { kind: 'integer', min: 0, max: 27 } });
    expect(THERAPY_TYPES.find((t) => t.snomed === '304891004')!.countColumn).toBe('CognitiveBehaviourTherapy_Count');
  });

  it('maps problem descriptors as NHS M203/M204 do', () => {
    expect(problemDescriptorOf('F321').id).toBe('Depression');
    expect(problemDescriptorOf('F400').id).toBe('Agoraphobia');
    expect(problemDescriptorOf('F409').id).toBe('OtherAnxiety');
    expect(problemDescriptorOf('F422').id).toBe('OCD');
    expect(problemDescriptorOf('F452').id).toBe('HealthAnxiety');
    expect(problemDescriptorOf('F453').id).toBe('OtherMentalHealth');
    expect(problemDescriptorOf('83482000').id).toBe('BDD');
    expect(problemDescriptorOf('-3').id).toBe('NotStated');
    expect(problemDescriptorOf(null).id).toBe('NotStated');
    expect(problemDescriptorOf('J45X').id).toBe('OtherRecorded');
    for (const p of PROBLEM_DESCRIPTORS) if (p.id !== 'NotStated') expect(problemDescriptorOf(p.exampleCode).id).toBe(p.id);
  });

  it('keeps the ADSM mapping and every threshold in one table, unconfirmed values marked', () => {
    expect(outcomeMeasure('PHQ9')).toMatchObject({ caseness: { op: '>=', value: 10 }, casenessStatus: 'verified', reliableChange: 6, reliableChangeStatus: 'verified' });
    expect(outcomeMeasure('GAD')).toMatchObject({ caseness: { op: '>=', value: 8 }, casenessStatus: 'verified', reliableChange: 4, reliableChangeStatus: 'verified' });
    // Every ADSM reliable-change value is unconfirmed (measures-and-outcomes.md section 1.4); the only verified ADSM
    // cut-offs are the persistent physical symptoms ones, IBS-SSS >= 75 and PHQ-15 >= 10 (metadata M279-M282).
    for (const m of OUTCOME_MEASURES.filter((o) => o.role === 'adsm')) expect(m.reliableChangeStatus).toBe('unconfirmed');
    expect(OUTCOME_MEASURES.filter((o) => o.role === 'adsm' && o.casenessStatus === 'verified').map((o) => [o.key, o.caseness])).toEqual([
      ['IBS', { op: '>=', value: 75 }],
      ['MUS', { op: '>=', value: 10 }],
    ]);
    expect(anxietyMeasureFor('SocialPhobia').key).toBe('SocialPhobia');
    expect(anxietyMeasureFor('Depression').key).toBe('GAD');
    // An ADSM without thresholds falls back to GAD-7.
    expect(anxietyMeasureFor('BDD').key).toBe('GAD');
    expect(atCaseness(outcomeMeasure('PHQ9'), 10)).toBe(true);
    expect(atCaseness(outcomeMeasure('PHQ9'), 9)).toBe(false);
    expect(atCaseness(outcomeMeasure('AgoraAlone'), 2.3)).toBe(false);
    expect(atCaseness(outcomeMeasure('AgoraAlone'), 2.31)).toBe(true);
  });
});

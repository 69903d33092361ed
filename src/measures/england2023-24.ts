// NHS England's published England rates for 2023-24 (measures-and-outcomes.md §3.1–3.2: the annual main file,
// unrounded England rows), which the synthetic data aim at: the calibration (bench/calibrate.js) checks our
// rates against them and the demo names them beside its own.
export const ENGLAND_2023_24: readonly { id: string; label: string; percent: number }[] = [
  { id: 'M192', label: 'Recovery', percent: 50.1 },
  { id: 'M195', label: 'Reliable recovery', percent: 47.1 },
  { id: 'M186', label: 'Reliable improvement', percent: 66.8 },
  { id: 'M1010', label: 'Reliable deterioration', percent: 5.9 },
  { id: 'M053', label: 'Finished within 6 weeks', percent: 90.5 },
];

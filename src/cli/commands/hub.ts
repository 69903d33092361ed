// `iapt hub build`: the public data hub (src/web/hub/), a static site from published, release-checked files only.
import type { Command } from 'commander';
import { outputFolderArgument } from '../arguments.js';
import type { Io } from '../io.js';

export function registerHub(program: Command, io: Io): void {
  const hub = program.command('hub').description('the public data hub: a static site of published figures');
  hub
    .command('build')
    .description("write the hub from NHS England's annual history and this platform's release-checked publications")
    .option('--data <dir>', "a data directory: its published/<period>/ folders (the service's publications) are added")
    .option('--publication <dir...>', 'a publication folder written by iapt publish (repeatable)')
    .requiredOption('--out <dir>', 'output folder (new, empty, or an earlier hub build)')
    .action(async (opts: { data?: string; publication?: string[]; out: string }) => {
      outputFolderArgument('--out', opts.out);
      const started = Date.now();
      // Loaded here: the hub's chart library (ECharts) would slow every other command's start.
      const { buildHub } = await import('../../web/hub/build.js');
      const r = await buildHub({ publications: opts.publication ?? [], ...(opts.data ? { dataDir: opts.data } : {}), out: opts.out });
      io.out(`Hub written to ${opts.out}: ${r.pages} pages, ${r.organisations} organisations, ${(r.bytes / 1024 / 1024).toFixed(1)} MiB; largest page ${(r.largestPageBytes / 1024).toFixed(0)} KiB (${r.largestPage}); ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      io.out(`Open ${opts.out}/index.html, or serve the folder with any web server.\n`);
    });
}

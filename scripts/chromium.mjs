// Debian's Chromium for the browser tests and the screenshot script: found where Debian installs it, or installed
// with apt-get when missing (as root, or through sudo), the same way .ci/run installs PostgreSQL. Nothing is
// downloaded from anywhere but the system's package sources; playwright-core drives it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'];

/** The flags for a closed network: no sandbox (containers), no GPU, nothing fetched in the background. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

/** The Chromium executable, or null when there is none. IAPT_CHROMIUM names another one. */
export function chromiumPath() {
  if (process.env.IAPT_CHROMIUM) return existsSync(process.env.IAPT_CHROMIUM) ? process.env.IAPT_CHROMIUM : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** The Chromium executable, installing Debian's chromium package first when there is none. */
export function ensureChromium() {
  const found = chromiumPath();
  if (found) return found;
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const run = (args) => {
    const [command, ...rest] = [...asRoot, ...args];
    execFileSync(command, rest, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  try {
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium']);
  } catch (error) {
    throw new Error(`no Chromium found (${CANDIDATES.join(', ')}, or IAPT_CHROMIUM) and installing Debian's chromium package failed: ${error.message}`);
  }
  const installed = chromiumPath();
  if (!installed) throw new Error(`apt-get installed chromium, but none of ${CANDIDATES.join(', ')} exists`);
  return installed;
}

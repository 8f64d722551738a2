// Finds the system Chromium: CHROME_PATH if set, else the usual Debian paths. Never downloads one.
import { existsSync } from 'node:fs';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH is set to ${fromEnv}, but nothing is there.`);
  }
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  throw new Error(
    'No Chromium found. Install the system one (Debian: `apt-get install -y chromium`) or set CHROME_PATH to a Chromium/Chrome binary.',
  );
}

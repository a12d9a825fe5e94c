// `npm run e2e` tests the built dashboard as `flowmap serve` serves it: build first when dist/ is missing.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist', 'index.html'))) {
  console.log('frontend/dist is missing: running `npm run build` first');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}

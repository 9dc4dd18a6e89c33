// Builds dist/: content-hashed app and style bundles, and index.html naming them.
// Written to a fresh folder first and swapped in whole, so a running server never
// sees half a build.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const staging = path.join(here, 'dist.tmp');
// the read API serves dist/assets/<name> at this path
const ASSET_URL = '/storefront/';

await rm(staging, { recursive: true, force: true });
await mkdir(staging, { recursive: true });

const result = await esbuild.build({
  entryPoints: { app: path.join(here, 'src/app.js'), style: path.join(here, 'src/style.css') },
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'esm',
  target: ['es2020'],
  entryNames: '[name]-[hash]',
  outdir: path.join(staging, 'assets'),
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

// the hashed output file of one entry point, as a URL under ASSET_URL
function assetUrl(entry) {
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    if (meta.entryPoint && meta.entryPoint.endsWith(entry)) {
      return ASSET_URL + path.basename(file);
    }
  }
  throw new Error(`no output for ${entry}`);
}

const template = await readFile(path.join(here, 'src/index.html'), 'utf8');
const page = template
  .replace('%APP_JS%', assetUrl('src/app.js'))
  .replace('%STYLE_CSS%', assetUrl('src/style.css'));
await writeFile(path.join(staging, 'index.html'), page);

// precompressed twins, served to clients that accept gzip (the bundle shrinks ~3x)
const gzipped = promisify(gzip);
for (const file of Object.keys(result.metafile.outputs)) {
  if (/\.(js|css)$/.test(file)) {
    await writeFile(`${file}.gz`, await gzipped(await readFile(file), { level: 9 }));
  }
}

await rm(dist, { recursive: true, force: true });
await rename(staging, dist);

for (const [file, meta] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.map')) console.log(`${path.basename(file)}\t${meta.bytes} bytes`);
}

// Bundles the tab's pages with esbuild into tab/dist (served by the service under /tab/).
const path = require('node:path');
const fs = require('node:fs');
const esbuild = require('esbuild');

const here = __dirname;
const out = path.join(here, 'dist');
fs.mkdirSync(out, { recursive: true });
esbuild.buildSync({
  entryPoints: [path.join(here, 'src', 'upload.ts')],
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['es2020'],
  outfile: path.join(out, 'upload.js'),
  logLevel: 'warning',
});
fs.copyFileSync(path.join(here, 'src', 'upload.css'), path.join(out, 'upload.css'));

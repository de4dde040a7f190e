// Bundles the tab with esbuild into tab/dist (served by the service under /tab/):
// the plain upload page (upload.js) and the personal tab (index.html + app.js + CSS).
const path = require('node:path');
const fs = require('node:fs');
const esbuild = require('esbuild');

const here = __dirname;
const out = path.join(here, 'dist');
fs.mkdirSync(out, { recursive: true });
const common = { bundle: true, minify: true, sourcemap: true, target: ['es2020'], logLevel: 'warning' };
// The upload page: one classic script.
esbuild.buildSync({
  ...common,
  entryPoints: [path.join(here, 'src', 'upload.ts')],
  outfile: path.join(out, 'upload.js'),
});
// The tab: an ES module whose rarely used parts (the card renderer of the reminder preview) load when first needed.
fs.rmSync(path.join(out, 'chunks'), { recursive: true, force: true });
esbuild.buildSync({
  ...common,
  entryPoints: { app: path.join(here, 'src', 'main.ts') },
  format: 'esm',
  splitting: true,
  outdir: out,
  chunkNames: 'chunks/[name]-[hash]',
});
fs.copyFileSync(path.join(here, 'src', 'upload.css'), path.join(out, 'upload.css'));
fs.copyFileSync(path.join(here, 'src', 'app.css'), path.join(out, 'app.css'));
fs.copyFileSync(path.join(here, 'src', 'pages', 'pages.css'), path.join(out, 'pages.css'));
fs.copyFileSync(require.resolve('cropperjs/dist/cropper.css'), path.join(out, 'cropper.css'));
fs.copyFileSync(path.join(here, 'index.html'), path.join(out, 'index.html'));

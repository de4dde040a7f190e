// Bundles the tab with esbuild into tab/dist (served by the service under /tab/):
// the plain upload page (upload.js) and the personal tab (index.html + app.js + CSS).
const path = require('node:path');
const fs = require('node:fs');
const esbuild = require('esbuild');

const here = __dirname;
const out = path.join(here, 'dist');
fs.mkdirSync(out, { recursive: true });
for (const [entry, outfile] of [
  ['upload.ts', 'upload.js'],
  ['main.ts', 'app.js'],
]) {
  esbuild.buildSync({
    entryPoints: [path.join(here, 'src', entry)],
    bundle: true,
    minify: true,
    sourcemap: true,
    target: ['es2020'],
    outfile: path.join(out, outfile),
    logLevel: 'warning',
  });
}
fs.copyFileSync(path.join(here, 'src', 'upload.css'), path.join(out, 'upload.css'));
fs.copyFileSync(path.join(here, 'src', 'app.css'), path.join(out, 'app.css'));
fs.copyFileSync(path.join(here, 'src', 'pages', 'pages.css'), path.join(out, 'pages.css'));
fs.copyFileSync(require.resolve('cropperjs/dist/cropper.css'), path.join(out, 'cropper.css'));
fs.copyFileSync(path.join(here, 'index.html'), path.join(out, 'index.html'));

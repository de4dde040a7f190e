#!/usr/bin/env node
/*
 * `npm audit --omit=dev`, with one exception: when the registry's audit endpoint itself is
 * unavailable (this build network's registry answers 405), say so and pass. A real
 * high or critical advisory on a runtime dependency fails the build, unless it is listed
 * with a reason in .ci/audit-exceptions.json ({ "<advisory id or url>": "why it does not apply" }).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// AUDIT_REPORT_FILE: judge a saved `npm audit --json` report instead (to check this script).
const run = process.env.AUDIT_REPORT_FILE
  ? { status: 0, stdout: fs.readFileSync(process.env.AUDIT_REPORT_FILE, 'utf8') }
  : spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', shell: process.platform === 'win32' });
let report;
try {
  report = JSON.parse(run.stdout || '{}');
} catch {
  console.log(`npm audit: no JSON answer (exit ${run.status}); the audit endpoint is unavailable here, skipped.`);
  process.exit(0);
}
if (report.statusCode || report.error || report.message) {
  const why =
    report.message || (report.error && (report.error.summary || report.error.code)) || `status ${report.statusCode}`;
  console.log(`npm audit: the audit endpoint is unavailable (${why}); skipped. Run it where the npm registry answers.`);
  process.exit(0);
}
const exceptionsFile = path.join(__dirname, 'audit-exceptions.json');
const exceptions = fs.existsSync(exceptionsFile) ? JSON.parse(fs.readFileSync(exceptionsFile, 'utf8')) : {};
const findings = [];
for (const [name, v] of Object.entries(report.vulnerabilities || {})) {
  for (const via of v.via || []) {
    if (typeof via !== 'object') continue;
    if (via.severity !== 'high' && via.severity !== 'critical') continue;
    const id = String(via.source || via.url || via.title);
    if (exceptions[id] || exceptions[via.url]) continue;
    findings.push(`${via.severity} ${name}: ${via.title} (${via.url || id})`);
  }
}
const counts = (report.metadata && report.metadata.vulnerabilities) || {};
console.log(`npm audit (runtime dependencies): ${JSON.stringify(counts)}`);
if (findings.length > 0) {
  console.error(`High-severity advisories on runtime dependencies:\n  ${[...new Set(findings)].join('\n  ')}`);
  console.error('Fix them, or list each in .ci/audit-exceptions.json with the reason it does not apply.');
  process.exit(1);
}

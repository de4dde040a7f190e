// Run by the Microsoft 365 Agents Toolkit (m365agents.yml, m365agents.local.yml: the `script` action), which reads
// `::set-teamsfx-env NAME=value` lines from its output into the environment's files (SECRET_* into the git-ignored
// .env.<env>.user). Makes the upload-link signing secret once, and records the app version from package.json.
'use strict';
const crypto = require('node:crypto');
const path = require('node:path');

const lines = [];
if (!process.env.SECRET_UPLOAD_TICKET_SECRET)
  lines.push(`SECRET_UPLOAD_TICKET_SECRET=${crypto.randomBytes(48).toString('base64url')}`);
lines.push(`APP_VERSION=${require(path.join(__dirname, '..', 'package.json')).version}`);
for (const line of lines) process.stdout.write(`::set-teamsfx-env ${line}\n`);

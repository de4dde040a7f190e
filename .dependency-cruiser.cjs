/**
 * The layering rules of bot/src (docs/architecture.md), checked by `npm run lint`:
 * no import circle anywhere, the core imports no edge or adapter, the edges do not import each other,
 * and the tab and the local tenant stay on their side.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: two modules that need each other are one concept, or one of them holds a port.',
      from: { path: '^(bot|emulator|tab)/' },
      to: { circular: true },
    },
    {
      name: 'core-imports-no-edge',
      severity: 'error',
      comment: 'core/ holds the domain and use cases; adapters and edges depend on it, never the other way.',
      from: { path: '^bot/src/core/' },
      to: { path: '^bot/src/(?!core/)' },
    },
    {
      name: 'core-imports-no-sdk',
      severity: 'error',
      comment: 'core/ imports no SDK (house style): no botbuilder, sharp, restify, Graph client, jose, better-sqlite3.',
      from: { path: '^bot/src/core/' },
      to: {
        path: 'node_modules/(botbuilder|botframework-|sharp|restify|@microsoft/microsoft-graph-client|jose|better-sqlite3|pino)',
      },
    },
    {
      name: 'api-imports-no-teams',
      severity: 'error',
      comment: 'The tab API and the Teams edge are two edges of one core.',
      from: { path: '^bot/src/api/' },
      to: { path: '^bot/src/teams/' },
    },
    {
      name: 'teams-imports-no-api',
      severity: 'error',
      from: { path: '^bot/src/teams/' },
      to: { path: '^bot/src/api/' },
    },
    {
      name: 'adapters-import-no-edge',
      severity: 'error',
      comment:
        'm365/, photo/, store/ and outbox/ implement ports; they know nothing of the Teams edge, the tab API or the wiring.',
      from: { path: '^bot/src/(m365|photo|store|outbox)/' },
      to: { path: '^bot/src/(teams|api|wiring|cli)/' },
    },
    {
      name: 'only-wiring-and-local-know-the-emulator',
      severity: 'error',
      comment:
        'The product does not know whether it talks to the local tenant; only the wiring and local/ start or name it.',
      from: { path: '^bot/src/', pathNot: '^bot/src/(wiring|local)/' },
      to: { path: '^emulator/' },
    },
    {
      name: 'emulator-imports-nothing-of-ours',
      severity: 'error',
      comment: 'The local tenant stands in for Microsoft; it is not us.',
      from: { path: '^emulator/' },
      to: { path: '^(bot|tab)/' },
    },
    {
      name: 'tab-imports-only-contract-types',
      severity: 'error',
      comment:
        "The tab shares only type-only contracts with bot/, and the pure face rules (one source for the editor's live hints and the service).",
      from: { path: '^tab/' },
      to: { path: '^bot/', pathNot: '^bot/src/core/photo/face-rules\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};

/**
 * Checks that a card only uses what Adaptive Cards 1.4 has: Outlook renders Universal
 * Actions (Action.Execute, refresh) from 1.4, so a card meant for Teams and Outlook must
 * not depend on 1.5. Two independent checks: the official schema's own `version`
 * annotations (an element, property or enum type marked 1.5 is reported), and the official
 * `adaptivecards` parser targeting 1.4 on a copy of the card that says version "1.4".
 */
import fs from 'node:fs';
import type * as AdaptiveCardsModule from 'adaptivecards';
import { SCHEMA_PATH, validateAgainstSchema, type CardValidation } from './adaptive-card-validation';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

type Node = Record<string, unknown>;

const definitions = (JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as { definitions: Record<string, Node> })
  .definitions;

/** "1.5" > "1.4". */
function newer(version: unknown, than: string): boolean {
  if (typeof version !== 'string') return false;
  const [a, b] = [version, than].map((v) => v.split('.').map(Number));
  return a[0] > b[0] || (a[0] === b[0] && (a[1] ?? 0) > (b[1] ?? 0));
}

const refName = (ref: unknown): string | undefined =>
  typeof ref === 'string' ? ref.replace('#/definitions/', '') : undefined;

/** A definition's properties, its `allOf` parents' included (concrete definitions often list `"title": {}`). */
function propertiesOf(name: string, seen = new Set<string>()): Record<string, Node> {
  if (seen.has(name)) return {};
  seen.add(name);
  const def = definitions[name] ?? {};
  const out: Record<string, Node> = {};
  for (const parent of (def.allOf as Node[] | undefined) ?? []) {
    const parentName = refName(parent.$ref);
    if (parentName) Object.assign(out, propertiesOf(parentName, seen));
  }
  for (const [key, schema] of Object.entries((def.properties as Record<string, Node> | undefined) ?? {})) {
    if (!out[key] || Object.keys(schema).length > 0) out[key] = schema;
  }
  return out;
}

/** Every element, action, property or enum type of the card that the schema marks newer than `version`. */
export function featuresNewerThan(card: unknown, version: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown, typeName: string | undefined, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, undefined, `${path}/${i}`));
    if (!node || typeof node !== 'object') return;
    const o = node as Node;
    const type = typeof o.type === 'string' ? o.type : typeName;
    const def = type ? definitions[type] : undefined;
    if (type && def && newer(def.version, version)) found.push(`${path}: ${type} (${String(def.version)})`);
    const props = type && def ? propertiesOf(type) : {};
    for (const [key, value] of Object.entries(o)) {
      const schema = props[key];
      if (schema && newer(schema.version, version))
        found.push(`${path}/${key}: ${type}.${key} (${String(schema.version)})`);
      const refs = [schema?.$ref, ...((schema?.anyOf as Node[] | undefined) ?? []).map((alt) => alt.$ref)]
        .map(refName)
        .filter((r): r is string => !!r);
      for (const r of refs) {
        if (newer(definitions[r]?.version, version))
          found.push(`${path}/${key}: ${type}.${key} uses ${r} (${String(definitions[r]?.version)})`);
      }
      const ref = refs[0];
      // Untyped objects take their type from the property's $ref (refresh -> Refresh).
      visit(value, ref && definitions[ref]?.properties ? ref : undefined, `${path}/${key}`);
    }
  };
  visit(card, 'AdaptiveCard', '');
  return found;
}

/** The official parser, targeting `version`, on a copy of the card that declares it. */
function parseAsVersion(card: unknown, version: '1.4'): CardValidation {
  const copy = { ...(card as Node), version };
  const context = new AC.SerializationContext(AC.Versions.v1_4);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(copy, context);
  const errors: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    if (event.event !== AC.ValidationEvent.Hint)
      errors.push(`library ${version} parse: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) {
    if (event.event !== AC.ValidationEvent.Hint)
      errors.push(`library ${version} validate: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  return { ok: errors.length === 0, errors };
}

/** Jest assertion: the card works in Outlook (1.4): a 1.4 copy is valid, and nothing newer than 1.4 is used. */
export function expectValidForOutlook(card: unknown): void {
  const copy = { ...(card as Node), version: '1.4' };
  expect([
    ...validateAgainstSchema(copy).errors,
    ...parseAsVersion(card, '1.4').errors,
    ...featuresNewerThan(card, '1.4'),
  ]).toEqual([]);
}

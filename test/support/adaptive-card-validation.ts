/**
 * Checks a card the way Teams' tooling would: against the official Adaptive Cards 1.5
 * JSON schema (with only its known typos fixed, in memory) and by parsing it with the
 * official `adaptivecards` library targeting 1.5.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import type * as AdaptiveCardsModule from 'adaptivecards';

/** The official schema, byte for byte as published (see shared/schemas/SOURCES.md). */
export const SCHEMA_PATH = path.resolve(__dirname, '../../../shared/schemas/adaptive-card-1.5.json');

/** The outcome of a validation: `errors` is empty exactly when `ok`. */
export interface CardValidation {
  ok: boolean;
  errors: string[];
}

type SchemaNode = Record<string, unknown>;

// The package's ESM entry does not load on Node 20; the UMD bundle does and needs no DOM to parse.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

function child(node: unknown, key: string, where: string): SchemaNode {
  const value = (node as SchemaNode | undefined)?.[key];
  if (!value || typeof value !== 'object')
    throw new Error(`schema patch: ${where} has no "${key}"; did the schema change?`);
  return value as SchemaNode;
}

function renameProperty(definitions: SchemaNode, definition: string, from: string, to: string): void {
  const props = child(child(definitions, definition, 'definitions'), 'properties', definition);
  if (!(from in props))
    throw new Error(`schema patch: ${definition} has no property "${from}"; did the schema change?`);
  props[to] = props[from];
  delete props[from];
}

const ACTION_DEFINITIONS = [
  'Action.Execute',
  'Action.OpenUrl',
  'Action.ShowCard',
  'Action.Submit',
  'Action.ToggleVisibility',
];

/**
 * The typos and omissions of the official 1.5 schema listed in docs/toolchain.md, which
 * reject cards the official renderer accepts. Each patch throws if its target moved,
 * so a new schema cannot make a patch silently do nothing. Nothing else is loosened.
 */
export function patchKnownSchemaTypos(raw: SchemaNode): SchemaNode {
  const schema = structuredClone(raw);
  const definitions = child(schema, 'definitions', 'schema');
  // "rtl?" (with a literal question mark) for rtl.
  renameProperty(definitions, 'Container', 'rtl?', 'rtl');
  renameProperty(definitions, 'TableCell', 'rtl?', 'rtl');
  // firstRowAsHeader for firstRowAsHeaders.
  renameProperty(definitions, 'Table', 'firstRowAsHeader', 'firstRowAsHeaders');
  // Input.ChoiceSet style "filtered" (1.5) missing from the enum.
  const choiceStyles = child(definitions, 'ChoiceInputStyle', 'definitions').anyOf as
    Array<{ enum?: string[] }> | undefined;
  const choiceEnum = choiceStyles?.find((alt) => Array.isArray(alt.enum));
  if (!choiceEnum?.enum) throw new Error('schema patch: ChoiceInputStyle has no enum; did the schema change?');
  choiceEnum.enum = [...choiceEnum.enum, 'filtered'];
  // Image.tooltip missing.
  child(child(definitions, 'Image', 'definitions'), 'properties', 'Image').tooltip = { type: 'string' };
  // Action role missing (Button, Link, Tab, Menu, MenuItem; case-insensitive like every enum here).
  child(child(definitions, 'Extendable.Action', 'definitions'), 'properties', 'Extendable.Action').role = {
    type: 'string',
    pattern:
      '^([bB][uU][tT][tT][oO][nN]|[lL][iI][nN][kK]|[tT][aA][bB]|[mM][eE][nN][uU]|[mM][eE][nN][uU][iI][tT][eE][mM])$',
  };
  for (const action of ACTION_DEFINITIONS)
    child(child(definitions, action, 'definitions'), 'properties', action).role = {};
  return schema;
}

interface CompiledSchema {
  ajv: Ajv;
  id: string;
  validate: ValidateFunction;
}

let compiled: CompiledSchema | undefined;

/** The compiled, patched schema; compiled once per test file (module cache). */
function schema(): CompiledSchema {
  if (compiled) return compiled;
  const raw = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as SchemaNode;
  const { id, ...rest } = patchKnownSchemaTypos(raw);
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  ajv.addMetaSchema(draft06);
  addFormats(ajv, ['uri', 'uri-reference']);
  const schemaId = String(id);
  compiled = { ajv, id: schemaId, validate: ajv.compile({ $id: schemaId, ...rest }) };
  return compiled;
}

function describeError(pointer: string, error: ErrorObject): string {
  const params = Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : '';
  return `schema: ${pointer + error.instancePath || '/'} ${error.message ?? error.keyword}${params}`;
}

function isTyped(node: unknown): node is { type: string } {
  return (
    !!node && typeof node === 'object' && !Array.isArray(node) && typeof (node as { type?: unknown }).type === 'string'
  );
}

/**
 * Ajv reports every branch of the schema's big anyOf lists ("must have required
 * property 'actions'" for a TextBlock). Instead, check each element that names its
 * `type` against that type's own definition, and report what is wrong with it,
 * leaving problems of nested typed elements to their own check.
 */
function typedErrors(root: unknown): string[] {
  const { ajv, id } = schema();
  const out: string[] = [];
  const walk = (node: unknown, pointer: string): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node))
      walk(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (!isTyped(node)) return;
    const validate = ajv.getSchema(`${id}#/definitions/${node.type}`);
    if (!validate) {
      out.push(`schema: ${pointer || '/'} unknown element or action type "${node.type}"`);
      return;
    }
    if (validate(node)) return;
    for (const error of validate.errors ?? []) {
      // Skip errors that belong inside a nested typed element: that element reports them itself.
      const segments = error.instancePath.split('/').slice(1);
      let inner: unknown = node;
      let nested = false;
      for (const segment of segments) {
        inner =
          inner && typeof inner === 'object'
            ? (inner as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')]
            : undefined;
        if (isTyped(inner)) nested = true;
      }
      if (!nested && error.keyword !== 'anyOf') out.push(describeError(pointer, error));
    }
  };
  walk(root, '');
  return [...new Set(out)];
}

/** Validates against the patched official 1.5 schema only. */
export function validateAgainstSchema(card: unknown): CardValidation {
  const { validate } = schema();
  if (validate(card)) return { ok: true, errors: [] };
  const precise = typedErrors(card);
  const errors = precise.length ? precise : [...new Set((validate.errors ?? []).map((e) => describeError('', e)))];
  return { ok: false, errors };
}

/** Parse events that are not problems. */
const HARMLESS = new Set<number>([AC.ValidationEvent.Hint]);

/** Parses with the `adaptivecards` library as a 1.5 host would; reports every parse and validation event. */
export function validateWithLibrary(card: unknown): CardValidation {
  const errors: string[] = [];
  if (!card || typeof card !== 'object' || Array.isArray(card))
    return { ok: false, errors: ['library: not a JSON object'] };
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  try {
    parsed.parse(card, context);
  } catch (err) {
    return { ok: false, errors: [`library: parse threw ${(err as Error).message}`] };
  }
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    if (!HARMLESS.has(event.event)) errors.push(`library parse: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) {
    if (!HARMLESS.has(event.event))
      errors.push(`library validate: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  return { ok: errors.length === 0, errors };
}

/** Both checks: the official schema (patched typos only) and the official parser. */
export function validateCard(card: unknown): CardValidation {
  const errors = [...validateAgainstSchema(card).errors, ...validateWithLibrary(card).errors];
  return { ok: errors.length === 0, errors };
}

/** Jest assertion: the card is valid; on failure the diff lists every problem. */
export function expectValidCard(card: unknown): void {
  expect(validateCard(card).errors).toEqual([]);
}

/**
 * JSON Schemas for Microsoft Graph answers, derived from Microsoft's published metadata
 * (`../shared/schemas/graph/`: the v1.0 CSDL that Graph's OpenAPI description is generated from, and a
 * beta CSDL that defines `photoUpdateSettings`; sources in SOURCES.md there).
 *
 * The conventions are the generated OpenAPI's: a property may be null unless `Nullable="false"`; a
 * derived type has its base type's properties; `Edm.Guid` is a GUID string and `Edm.DateTimeOffset` an
 * ISO 8601 date-time; enums are their member names; collections are arrays. Unlike the OpenAPI, a
 * property the type does not declare is refused (`additionalProperties: false`), open types included:
 * what the local tenant answers must be something Graph could answer. OData annotations (`@odata.*`,
 * `prop@odata.*`) are allowed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

const SHARED = path.resolve(__dirname, '../../../shared/schemas/graph');

interface CsdlProperty {
  name: string;
  type: string;
  nullable: boolean;
}

interface CsdlType {
  kind: 'entity' | 'complex';
  name: string;
  baseType?: string;
  properties: CsdlProperty[];
  navigation: CsdlProperty[];
}

/** One CSDL: its structured types and enums by full name (`microsoft.graph.user`). */
export interface GraphModel {
  types: Map<string, CsdlType>;
  enums: Map<string, string[]>;
}

type Json = Record<string, unknown>;

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function parseCsdl(file: string): GraphModel {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true });
  const doc = parser.parse(fs.readFileSync(path.join(SHARED, file), 'utf8')) as Json;
  const schemas = list((((doc.Edmx as Json).DataServices as Json).Schema ?? []) as Json | Json[]);
  const aliases = new Map<string, string>();
  for (const s of schemas) if (s.Alias) aliases.set(String(s.Alias), String(s.Namespace));
  const full = (t: string): string => {
    const collection = /^Collection\((.+)\)$/.exec(t);
    if (collection) return `Collection(${full(collection[1] as string)})`;
    const dot = t.indexOf('.');
    const head = t.slice(0, dot);
    return aliases.has(head) ? `${aliases.get(head)}${t.slice(dot)}` : t;
  };
  const model: GraphModel = { types: new Map(), enums: new Map() };
  for (const s of schemas) {
    const ns = String(s.Namespace);
    const props = (items: Json[]): CsdlProperty[] =>
      items.map((p) => ({ name: String(p.Name), type: full(String(p.Type)), nullable: p.Nullable !== 'false' }));
    for (const [kind, key] of [
      ['entity', 'EntityType'],
      ['complex', 'ComplexType'],
    ] as const) {
      for (const t of list(s[key] as Json | Json[])) {
        model.types.set(`${ns}.${String(t.Name)}`, {
          kind,
          name: `${ns}.${String(t.Name)}`,
          baseType: t.BaseType ? full(String(t.BaseType)) : undefined,
          properties: props(list(t.Property as Json | Json[])),
          navigation: props(list(t.NavigationProperty as Json | Json[])),
        });
      }
    }
    for (const e of list(s.EnumType as Json | Json[]))
      model.enums.set(
        `${ns}.${String(e.Name)}`,
        list(e.Member as Json | Json[]).map((m) => String(m.Name)),
      );
  }
  return model;
}

let v1: GraphModel | undefined;
let beta: GraphModel | undefined;

/** The v1.0 model (parsed once per test file). */
export function graphV1(): GraphModel {
  v1 ??= parseCsdl('v1.0-cleanMetadata.xml');
  return v1;
}

/** The beta model of the stored beta CSDL (photoUpdateSettings). */
export function graphBeta(): GraphModel {
  beta ??= parseCsdl('beta-USNat.csdl');
  return beta;
}

/** A type's own and inherited structural properties, base first. */
export function propertiesOf(model: GraphModel, typeName: string): CsdlProperty[] {
  const t = model.types.get(typeName);
  if (t === undefined) throw new Error(`no type ${typeName} in the metadata`);
  return [...(t.baseType ? propertiesOf(model, t.baseType) : []), ...t.properties];
}

/** A type's navigation properties (what `$expand` may add), own and inherited. */
function navigationOf(model: GraphModel, typeName: string): CsdlProperty[] {
  const t = model.types.get(typeName) as CsdlType;
  return [...(t.baseType ? navigationOf(model, t.baseType) : []), ...t.navigation];
}

/** Types derived (directly or not) from `typeName`, itself included. */
function derivedTypes(model: GraphModel, typeName: string): string[] {
  const out = [typeName];
  for (const t of model.types.values()) {
    let b = t.baseType;
    while (b !== undefined) {
      if (b === typeName) {
        out.push(t.name);
        break;
      }
      b = model.types.get(b)?.baseType;
    }
  }
  return out;
}

const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const ANNOTATIONS = { '^@odata\\.': {}, '^[A-Za-z0-9_]+@odata\\.': {} };

/** JSON Schema of one property type. */
function typeSchema(model: GraphModel, type: string, nullable: boolean, depth: number): Json {
  const collection = /^Collection\((.+)\)$/.exec(type);
  if (collection) return { type: 'array', items: typeSchema(model, collection[1] as string, false, depth) };
  let schema: Json;
  switch (type) {
    case 'Edm.String':
      schema = { type: 'string' };
      break;
    case 'Edm.Boolean':
      schema = { type: 'boolean' };
      break;
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Byte':
      schema = { type: 'integer' };
      break;
    case 'Edm.Double':
    case 'Edm.Single':
    case 'Edm.Decimal':
      schema = { type: 'number' };
      break;
    case 'Edm.Guid':
      schema = { type: 'string', pattern: GUID };
      break;
    case 'Edm.DateTimeOffset':
      schema = { type: 'string', format: 'date-time' };
      break;
    case 'Edm.Date':
      schema = { type: 'string', format: 'date' };
      break;
    case 'Edm.Untyped':
      return {};
    case 'Edm.Duration':
    case 'Edm.TimeOfDay':
    case 'Edm.Binary':
    case 'Edm.Stream':
      schema = { type: 'string' };
      break;
    default:
      if (model.enums.has(type)) schema = { type: 'string', enum: model.enums.get(type) };
      else if (model.types.has(type))
        schema = depth > 3 ? { type: 'object' } : objectSchema(model, type, undefined, depth + 1);
      else throw new Error(`unknown type ${type}`);
  }
  return nullable ? { anyOf: [schema, { type: 'null' }] } : schema;
}

/**
 * The JSON Schema of one instance of `typeName`: its declared properties (only `select` when given, as
 * `$select` narrows an answer), navigation properties it may expand, OData annotations; nothing else.
 */
export function objectSchema(model: GraphModel, typeName: string, select?: readonly string[], depth = 0): Json {
  const props = propertiesOf(model, typeName).filter((p) => select === undefined || select.includes(p.name));
  if (select !== undefined) {
    const missing = select.filter((s) => !props.some((p) => p.name === s));
    if (missing.length > 0) throw new Error(`${typeName} has no property ${missing.join(', ')}`);
  }
  const properties: Json = {};
  for (const p of props) properties[p.name] = typeSchema(model, p.type, p.nullable, depth);
  if (depth === 0)
    for (const n of navigationOf(model, typeName))
      properties[n.name] = typeSchema(model, n.type, n.nullable, depth + 2);
  return { type: 'object', properties, patternProperties: ANNOTATIONS, additionalProperties: false };
}

/**
 * The schema of one directory object in a mixed collection, chosen by its `@odata.type` (which must name
 * `base` or a type derived from it), with the selected properties that type has: Graph leaves out what a
 * type does not have.
 */
export function memberSchema(model: GraphModel, base: string, odataType: unknown, select?: readonly string[]): Json {
  const t = typeof odataType === 'string' ? odataType.replace(/^#/, '') : '';
  if (!derivedTypes(model, base).includes(t)) throw new Error(`'${String(odataType)}' is not a ${base}`);
  const own = select?.filter((s) => propertiesOf(model, t).some((p) => p.name === s));
  const schema = objectSchema(model, t, own);
  return {
    ...schema,
    properties: { ...(schema.properties as Json), '@odata.type': { const: `#${t}` } },
    required: ['@odata.type'],
  };
}

/** A collection answer: `value`, `@odata.context`, and optionally `@odata.nextLink` and `@odata.count`. */
export function collectionSchema(item: Json): Json {
  return {
    type: 'object',
    required: ['value'],
    properties: {
      '@odata.context': { type: 'string' },
      '@odata.nextLink': { type: 'string', format: 'uri' },
      '@odata.count': { type: 'integer', minimum: 0 },
      value: { type: 'array', items: item },
    },
    additionalProperties: false,
  };
}

/** Graph's error body (the OData error shape with Graph's `innerError`). */
export const GRAPH_ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'innerError'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', minLength: 1 },
        message: { type: 'string' },
        innerError: {
          type: 'object',
          required: ['date', 'request-id', 'client-request-id'],
          additionalProperties: false,
          properties: {
            date: { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d$' },
            'request-id': { type: 'string', pattern: GUID },
            'client-request-id': { type: 'string', minLength: 1 },
          },
        },
      },
    },
  },
};

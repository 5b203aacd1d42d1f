// The AsyncAPI document as the tests read it: parsed from gateways/asyncapi.yaml, checked against
// the official AsyncAPI 3.0.0 JSON Schema, and its message payloads compiled with Ajv (strict, so a
// misspelt keyword fails) to say which messages a value matches.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

export const DOCUMENT_PATH = fileURLToPath(new URL('../../../gateways/asyncapi.yaml', import.meta.url));

export interface Example {
  name?: string;
  payload: unknown;
}
export interface MessageObject {
  payload: Record<string, unknown>;
  examples?: Example[];
}
export interface CloseCode {
  by: 'server' | 'client' | 'transport' | 'none';
  meaning: string;
}
/** The parts of the document the tests read; the rest is checked by the AsyncAPI schema. */
export interface AsyncApiDocument {
  channels: {
    stream: {
      address: string;
      messages: Record<string, { $ref: string }>;
      'x-close-codes': Record<string, CloseCode>;
      'x-upgrade-refusals': Record<string, { code: string; when: string }>;
    };
  };
  operations: Record<string, { action: 'send' | 'receive'; messages: { $ref: string }[] }>;
  servers: Record<string, { pathname: string }>;
  components: {
    schemas: Record<string, Record<string, unknown>>;
    messages: Record<string, MessageObject>;
    'x-error-codes': Record<string, { http: number; message: string }>;
  };
}

export type Direction = 'send' | 'receive';

export function readDocumentText(): string {
  return readFileSync(DOCUMENT_PATH, 'utf8');
}

export function parseDocument(text: string): AsyncApiDocument {
  return parse(text) as AsyncApiDocument;
}

/** Follows a local `$ref` (`#/a/b`) through the document. */
export function resolveRef(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`not a local $ref: ${ref}`);
  let at: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (at === null || typeof at !== 'object' || !(key in at)) throw new Error(`$ref ${ref} does not resolve`);
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** Every `$ref` string in the document, wherever it is. */
export function allRefs(x: unknown, out: string[] = []): string[] {
  if (Array.isArray(x)) for (const v of x) allRefs(v, out);
  else if (x !== null && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else allRefs(v, out);
    }
  }
  return out;
}

/** The errors of the document against the official AsyncAPI 3.0.0 schema, or null when it is valid. */
export function specErrors(doc: unknown): ErrorObject[] | null {
  // The bundled schema carries its own draft-07 meta-schema, so Ajv's is left out.
  const require = createRequire(import.meta.url);
  const spec = require('@asyncapi/specs/schemas/3.0.0.json') as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, meta: false, validateSchema: false });
  const validate = ajv.compile(spec);
  return validate(doc) ? null : (validate.errors ?? []);
}

const SCHEMA_REF = '#/components/schemas/';
const ROOT = 'riskline-asyncapi';

/** Local schema refs rewritten to `definitions`, which Ajv knows (a JSON Schema has no `components`). */
function asDefinitions(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(asDefinitions);
  if (x === null || typeof x !== 'object') return x;
  return Object.fromEntries(
    Object.entries(x).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith(SCHEMA_REF)
        ? `#/definitions/${v.slice(SCHEMA_REF.length)}`
        : asDefinitions(v),
    ]),
  );
}

/** Compiled payload and component schemas, and which messages a value matches. */
export class Schemas {
  private readonly ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Message names (components.messages keys) by the operation direction that carries them. */
  readonly messagesOf: Record<Direction, string[]> = { send: [], receive: [] };

  constructor(readonly doc: AsyncApiDocument) {
    const definitions: Record<string, unknown> = { ...doc.components.schemas };
    for (const [name, m] of Object.entries(doc.components.messages)) definitions[`message.${name}`] = m.payload;
    this.ajv.addSchema({ $id: ROOT, definitions: asDefinitions(definitions) });
    for (const op of Object.values(doc.operations)) {
      for (const { $ref } of op.messages) {
        const inChannel = resolveRef(doc, $ref) as { $ref: string };
        this.messagesOf[op.action].push(inChannel.$ref.slice('#/components/messages/'.length));
      }
    }
  }

  private get(key: string): ValidateFunction {
    let v = this.compiled.get(key);
    if (v === undefined) {
      v = this.ajv.getSchema(`${ROOT}#/definitions/${key}`);
      if (v === undefined) throw new Error(`no schema ${key} in the document`);
      this.compiled.set(key, v);
    }
    return v;
  }

  /** The payload validator of a message (components.messages key). */
  message(name: string): ValidateFunction {
    return this.get(`message.${name}`);
  }

  /** A component schema's validator (components.schemas key). */
  schema(name: string): ValidateFunction {
    return this.get(name);
  }

  /** The messages of one direction whose payload accepts the value (exactly one for a documented value). */
  matching(direction: Direction, value: unknown): string[] {
    return this.messagesOf[direction].filter((name) => this.message(name)(value));
  }

  /** Why a value fails a message's payload, in a line (for failure messages). */
  why(name: string, value: unknown): string {
    const v = this.message(name);
    if (v(value)) return 'valid';
    return this.ajv.errorsText(v.errors, { dataVar: name, separator: '; ' }).slice(0, 1500);
  }
}

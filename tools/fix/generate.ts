// Generates gateways/fix/generated/fix44.ts, the FIX 4.4 tables the FIX engine is written against
// (tags, field types and enums, message layouts with components flattened and groups nested), from
// the committed dictionary gateways/fix/spec/FIX44.xml (see tools/fix/extract-dictionary.ts).
// test/unit/fix/dictionary.test.ts checks the committed module against renderFix44(), so the
// tables cannot drift from the dictionary.
//
//   npm run gen:fix                          builds, then writes gateways/fix/generated/fix44.ts
//   node dist/tools/fix/generate.js -        prints it to stdout

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import { attr, dictionaryPath, need, parseXml, section, type XmlElement } from './extract-dictionary.js';

// The generator's own view of what it emits; the generated module declares the same shapes.
interface FieldDef {
  tag: number;
  name: string;
  type: string;
  values: [value: string, description: string][];
}
interface FieldEntry {
  kind: 'field';
  tag: number;
  required: boolean;
}
interface GroupEntry {
  kind: 'group';
  countTag: number;
  required: boolean;
  delimiter: number;
  entries: Entry[];
}
type Entry = FieldEntry | GroupEntry;
interface MessageDef {
  name: string;
  msgType: string;
  category: 'admin' | 'app';
  entries: Entry[];
}
interface Dictionary {
  /** In the dictionary's order. */
  fields: FieldDef[];
  header: Entry[];
  trailer: Entry[];
  /** In the dictionary's order. */
  messages: MessageDef[];
}

/** Names the generated module exports itself; an enum const of the same name would clash. */
const RESERVED = new Set([
  'TAG',
  'FIELDS',
  'HEADER',
  'TRAILER',
  'MESSAGES',
  'HEADER_TAGS',
  'TRAILER_TAGS',
  'MESSAGE_TAGS',
  'FieldType',
  'FieldDef',
  'FieldEntry',
  'GroupEntry',
  'Entry',
  'MessageDef',
]);

// ---- reading the dictionary --------------------------------------------------------------------

// QuickFIX/J lists no values for BOOLEAN fields (QuickFIX's C++ dictionaries do); FIX defines the
// Boolean type as Y/N, so PossDupFlag, GapFillFlag, ResetSeqNumFlag... get those two.
const BOOLEAN_VALUES: FieldDef['values'] = [
  ['Y', 'YES'],
  ['N', 'NO'],
];

function readField(el: XmlElement): FieldDef {
  const tag = Number(need(el, 'number'));
  if (!Number.isInteger(tag) || tag <= 0) throw new Error(`field ${need(el, 'name')} has tag ${need(el, 'number')}`);
  const type = need(el, 'type');
  const values = el.children.map((v): [string, string] => [need(v, 'enum'), need(v, 'description')]);
  return {
    tag,
    name: need(el, 'name'),
    type,
    values: values.length === 0 && type === 'BOOLEAN' ? BOOLEAN_VALUES : values,
  };
}

function isRequired(el: XmlElement): boolean {
  const required = need(el, 'required');
  if (required !== 'Y' && required !== 'N') throw new Error(`<${el.name} ${attr(el, 'name')}> required="${required}"`);
  return required === 'Y';
}

/**
 * The entries of a message, group or section body. `required` is false under an optional
 * component: its members are required only when it is present, which a flat list cannot say.
 */
function flatten(
  children: readonly XmlElement[],
  required: boolean,
  tags: ReadonlyMap<string, number>,
  components: ReadonlyMap<string, XmlElement>,
): Entry[] {
  const tagOf = (el: XmlElement): number => {
    const tag = tags.get(need(el, 'name'));
    if (tag === undefined) throw new Error(`${el.name} ${need(el, 'name')} is not among the fields`);
    return tag;
  };
  return children.flatMap((el): Entry[] => {
    const req = required && isRequired(el);
    if (el.name === 'field') return [{ kind: 'field', tag: tagOf(el), required: req }];
    if (el.name === 'component') {
      const def = components.get(need(el, 'name'));
      if (def === undefined) throw new Error(`component ${need(el, 'name')} is not defined`);
      return flatten(def.children, req, tags, components);
    }
    if (el.name !== 'group') throw new Error(`unexpected <${el.name}> in a message body`);
    const entries = flatten(el.children, true, tags, components);
    if (entries.length === 0) throw new Error(`group ${need(el, 'name')} is empty`);
    const first = entries[0];
    const delimiter = first.kind === 'field' ? first.tag : first.countTag;
    return [{ kind: 'group', countTag: tagOf(el), required: req, delimiter, entries }];
  });
}

function readMessage(el: XmlElement, body: (children: readonly XmlElement[]) => Entry[]): MessageDef {
  const category = need(el, 'msgcat');
  if (category !== 'admin' && category !== 'app') throw new Error(`message ${need(el, 'name')} msgcat="${category}"`);
  return { name: need(el, 'name'), msgType: need(el, 'msgtype'), category, entries: body(el.children) };
}

export function readDictionary(xml: string): Dictionary {
  const root = parseXml(xml);
  const fields = section(root, 'fields').children.map(readField);
  const tags = new Map(fields.map((f) => [f.name, f.tag]));
  if (tags.size !== fields.length || new Set(fields.map((f) => f.tag)).size !== fields.length) {
    throw new Error('a field name or tag is defined twice');
  }
  const components = new Map(section(root, 'components').children.map((c) => [need(c, 'name'), c]));
  const body = (children: readonly XmlElement[]): Entry[] => flatten(children, true, tags, components);
  return {
    fields,
    header: body(section(root, 'header').children),
    trailer: body(section(root, 'trailer').children),
    messages: section(root, 'messages').children.map((m) => readMessage(m, body)),
  };
}

// ---- names ---------------------------------------------------------------------------------------

/** NEW → New, PARTIALLY_FILLED → PartiallyFilled; a leading digit gets an underscore. */
export function pascalCase(description: string): string {
  const name = description
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('');
  if (name === '') throw new Error(`description "${description}" gives no name`);
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** Value names of one field; names two values share get the value appended (sanitised), in both. */
export function enumNames(field: Pick<FieldDef, 'name' | 'values'>): [name: string, value: string][] {
  const base = field.values.map(([value, description]) => [pascalCase(description), value] as const);
  const count = new Map<string, number>();
  base.forEach(([n]) => count.set(n, (count.get(n) ?? 0) + 1));
  const named = base.map(([n, value]): [string, string] => [
    count.get(n) === 1 ? n : `${n}_${value.replace(/[^A-Za-z0-9]/g, '_')}`,
    value,
  ]);
  if (new Set(named.map(([n]) => n)).size !== named.length) throw new Error(`${field.name}: enum names still clash`);
  return named;
}

// ---- rendering -----------------------------------------------------------------------------------

const str = (s: string): string => JSON.stringify(s);

function renderTypes(types: readonly string[]): string {
  return `
export type FieldType = ${types.map(str).join(' | ')};

export interface FieldDef {
  tag: number;
  name: string;
  type: FieldType;
  /** Enum value (the wire string) → the dictionary's description, e.g. '1' → 'PARTIALLY_FILLED'. */
  values?: Readonly<Record<string, string>>;
}

export interface FieldEntry {
  kind: 'field';
  tag: number;
  required: boolean;
}

export interface GroupEntry {
  kind: 'group';
  /** The NumInGroup field that counts the instances. */
  countTag: number;
  required: boolean;
  /** The first tag of every instance. */
  delimiter: number;
  entries: readonly Entry[];
}

export type Entry = FieldEntry | GroupEntry;

export interface MessageDef {
  name: string;
  msgType: string;
  category: 'admin' | 'app';
  /** Components flattened in place (a member is required only if it and its component are), groups nested. */
  entries: readonly Entry[];
}
`;
}

function renderFields(d: Dictionary): string {
  const tags = d.fields.map((f) => `${f.name}: ${f.tag},`).join('\n');
  const defs = d.fields.map((f) => {
    const values =
      f.values.length === 0 ? '' : `, values: { ${f.values.map(([v, s]) => `${str(v)}: ${str(s)}`).join(', ')} }`;
    return `${f.tag}: { tag: ${f.tag}, name: ${str(f.name)}, type: ${str(f.type)}${values} },`;
  });
  return `
/** Every field's tag by its dictionary name. */
export const TAG = {
${tags}
} as const;

/** Field definitions by tag. */
export const FIELDS: Readonly<Record<number, FieldDef>> = {
${defs.join('\n')}
};
`;
}

function renderEnums(d: Dictionary): string {
  return d.fields
    .filter((f) => f.values.length > 0)
    .map((f) => {
      if (RESERVED.has(f.name)) throw new Error(`field ${f.name} would shadow an export of the same name`);
      const members = enumNames(f).map(([n, v]) => `${n}: ${str(v)},`);
      return `\n/** ${f.name} (${f.tag}) values by name. */\nexport const ${f.name} = {\n${members.join('\n')}\n} as const;\n`;
    })
    .join('');
}

/** Entries as array items; a field's name follows it in a comment, a group's comes first. */
function renderEntries(entries: readonly Entry[], names: ReadonlyMap<number, string>): string {
  const items = entries.map((e) => {
    if (e.kind === 'field') return `{ kind: 'field', tag: ${e.tag}, required: ${e.required} }, // ${names.get(e.tag)}`;
    return (
      `// ${names.get(e.countTag)}\n{ kind: 'group', countTag: ${e.countTag}, required: ${e.required}, ` +
      `delimiter: ${e.delimiter}, entries: ${renderEntries(e.entries, names)} },`
    );
  });
  return `[\n${items.join('\n')}\n]`;
}

/** Every tag under `entries`, group count tags and nested groups included, in first-seen order. */
function tagsOf(entries: readonly Entry[], into = new Set<number>()): Set<number> {
  for (const e of entries) {
    if (e.kind === 'field') into.add(e.tag);
    else tagsOf(e.entries, into.add(e.countTag));
  }
  return into;
}

const renderSet = (entries: readonly Entry[]): string => `new Set<number>([${[...tagsOf(entries)].join(', ')}])`;

function renderLayouts(d: Dictionary): string {
  const names = new Map(d.fields.map((f) => [f.tag, f.name]));
  const messages = d.messages.map(
    (m) =>
      `${str(m.msgType)}: { name: ${str(m.name)}, msgType: ${str(m.msgType)}, category: ${str(m.category)}, ` +
      `entries: ${renderEntries(m.entries, names)} },`,
  );
  const messageTags = d.messages.map((m) => `${str(m.msgType)}: ${renderSet(m.entries)},`);
  return `
export const HEADER: readonly Entry[] = ${renderEntries(d.header, names)};

export const TRAILER: readonly Entry[] = ${renderEntries(d.trailer, names)};

/** Message layouts by MsgType (the wire value). */
export const MESSAGES: Readonly<Record<string, MessageDef>> = {
${messages.join('\n')}
};

/** Tags allowed anywhere in the header / trailer / each message (top level and in groups), for quick membership checks. */
export const HEADER_TAGS: ReadonlySet<number> = ${renderSet(d.header)};
export const TRAILER_TAGS: ReadonlySet<number> = ${renderSet(d.trailer)};
/** By MsgType: the body's tags, header and trailer excluded. */
export const MESSAGE_TAGS: Readonly<Record<string, ReadonlySet<number>>> = {
${messageTags.join('\n')}
};
`;
}

const BANNER = `// Generated from gateways/fix/spec/FIX44.xml by tools/fix/generate.ts (npm run gen:fix). Do not edit:
// test/unit/fix/dictionary.test.ts checks this file against the generator.
`;

/** Where the generated module lives: gateways/fix/generated/fix44.ts beside the dictionary's spec/. */
export function generatedPath(): string {
  return path.join(path.dirname(path.dirname(dictionaryPath())), 'generated', 'fix44.ts');
}

/** The generated module's text, formatted as the repository's prettier settings format it. */
export async function renderFix44(xml: string): Promise<string> {
  const d = readDictionary(xml);
  const types = [...new Set(d.fields.map((f) => f.type))].sort();
  const text = [BANNER, renderTypes(types), renderFields(d), renderEnums(d), renderLayouts(d)].join('');
  const file = generatedPath();
  const options = (await prettier.resolveConfig(file, { editorconfig: true })) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await renderFix44(readFileSync(dictionaryPath(), 'utf8'));
  if (process.argv[2] === '-') process.stdout.write(text);
  else {
    const file = generatedPath();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    process.stderr.write(`wrote ${file}\n`);
  }
}

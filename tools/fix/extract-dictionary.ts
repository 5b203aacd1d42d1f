// Extracts gateways/fix/spec/FIX44.xml, the FIX 4.4 data dictionary the FIX engine is generated
// from, out of QuickFIX/J's full FIX44.xml: the header, the trailer, the session messages and the
// order-entry messages, with only the components and fields they use (enums included), in the
// source's format and element order, so QuickFIX tools still read it. tools/fix/generate.ts turns
// it into gateways/fix/generated/fix44.ts.
//
//   node dist/tools/fix/extract-dictionary.js             reads FIX44.xml from the QuickFIX/J jar in ~/.m2
//   node dist/tools/fix/extract-dictionary.js FILE.xml    reads a full FIX44.xml
//   node dist/tools/fix/extract-dictionary.js FILE.xml -  prints the result to stdout

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultConfigDir } from '../../config/load.js';

/** Where Maven puts the QuickFIX/J FIX 4.4 messages jar (org.quickfixj:quickfixj-messages-fix44:2.3.1). */
export const QUICKFIXJ_JAR = path.join(
  homedir(),
  '.m2/repository/org/quickfixj/quickfixj-messages-fix44/2.3.1/quickfixj-messages-fix44-2.3.1.jar',
);

/** The messages kept, by MsgType: the seven session messages, then the order-entry ones. */
export const KEPT_MESSAGES: Readonly<Record<string, string>> = {
  '0': 'Heartbeat',
  '1': 'TestRequest',
  '2': 'ResendRequest',
  '3': 'Reject',
  '4': 'SequenceReset',
  '5': 'Logout',
  A: 'Logon',
  D: 'NewOrderSingle',
  F: 'OrderCancelRequest',
  G: 'OrderCancelReplaceRequest',
  '8': 'ExecutionReport',
  '9': 'OrderCancelReject',
  j: 'BusinessMessageReject',
};

// ---- a tiny XML reader and writer ------------------------------------------------------------
// The dictionary format is elements and attributes only (no text, no namespaces), so a small
// reader that keeps child order beats a dependency; comments and declarations are skipped.

export interface XmlElement {
  name: string;
  /** Attributes in document order. */
  attrs: ReadonlyArray<readonly [string, string]>;
  children: XmlElement[];
}

const TAG_RE = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const ATTR_RE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function lineOf(text: string, pos: number): number {
  return text.slice(0, pos).split('\n').length;
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|\w+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const ch = ENTITIES[ref];
    if (ch === undefined) throw new Error(`unknown XML entity ${whole}`);
    return ch;
  });
}

function parseAttrs(text: string): [string, string][] {
  return Array.from(text.matchAll(ATTR_RE), (m) => [m[1], decodeEntities(m[2] ?? m[3])]);
}

/** Skips a comment, a declaration or a processing instruction at `pos`; returns the position after it, or -1. */
function skipMarkup(xml: string, pos: number): number {
  const end = xml.startsWith('<!--', pos) ? '-->' : xml.startsWith('<?', pos) ? '?>' : undefined;
  if (end === undefined) return -1;
  const at = xml.indexOf(end, pos);
  if (at < 0) throw new Error(`line ${lineOf(xml, pos)}: unterminated ${end === '-->' ? 'comment' : 'declaration'}`);
  return at + end.length;
}

/** Parses a document of elements and attributes into its root element, children in document order. */
export function parseXml(xml: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const text = xml.slice(pos, lt < 0 ? xml.length : lt);
    if (text.trim() !== '') throw new Error(`line ${lineOf(xml, pos)}: unexpected text "${text.trim().slice(0, 40)}"`);
    if (lt < 0) break;
    const skipped = skipMarkup(xml, lt);
    if (skipped >= 0) {
      pos = skipped;
      continue;
    }
    TAG_RE.lastIndex = lt;
    const m = TAG_RE.exec(xml);
    if (m === null) throw new Error(`line ${lineOf(xml, lt)}: cannot read the markup here`);
    pos = TAG_RE.lastIndex;
    const [, closing, name, attrText, selfClosing] = m;
    if (closing === '/') {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`line ${lineOf(xml, lt)}: </${name}> does not close <${open?.name}>`);
      continue;
    }
    const el: XmlElement = { name, attrs: parseAttrs(attrText), children: [] };
    if (stack.length > 0) stack[stack.length - 1].children.push(el);
    else if (root === undefined) root = el;
    else throw new Error(`line ${lineOf(xml, lt)}: a second root element <${name}>`);
    if (selfClosing !== '/') stack.push(el);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  if (root === undefined) throw new Error('no root element');
  return root;
}

export function attr(el: XmlElement, name: string): string | undefined {
  return el.attrs.find(([k]) => k === name)?.[1];
}

/** An attribute the dictionary format requires; throws naming the element when it is missing. */
export function need(el: XmlElement, name: string): string {
  const value = attr(el, name);
  if (value === undefined) throw new Error(`<${el.name} ${attr(el, 'name') ?? ''}> has no ${name} attribute`);
  return value;
}

/** The one child element called `name`. */
export function section(el: XmlElement, name: string): XmlElement {
  const found = el.children.filter((c) => c.name === name);
  if (found.length !== 1) throw new Error(`<${el.name}> has ${found.length} <${name}> elements, expected 1`);
  return found[0];
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The element as QuickFIX writes its dictionaries: two-space indent, empty elements self-closed. */
export function renderXml(el: XmlElement, depth = 0): string[] {
  const pad = '  '.repeat(depth);
  const attrs = el.attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  if (el.children.length === 0) return [`${pad}<${el.name}${attrs}/>`];
  return [`${pad}<${el.name}${attrs}>`, ...el.children.flatMap((c) => renderXml(c, depth + 1)), `${pad}</${el.name}>`];
}

// ---- reduction ---------------------------------------------------------------------------------

/** Elements under `roots` (any depth) called `kind`, by their name attribute. */
function namesUnder(roots: readonly XmlElement[], kinds: readonly string[]): Set<string> {
  const names = new Set<string>();
  const visit = (el: XmlElement): void => {
    if (kinds.includes(el.name)) names.add(need(el, 'name'));
    el.children.forEach(visit);
  };
  roots.forEach((r) => r.children.forEach(visit));
  return names;
}

/** The kept messages in source order; throws unless each of KEPT_MESSAGES is there once, under its name. */
function keptMessages(messages: XmlElement): XmlElement[] {
  const kept = messages.children.filter((m) => Object.hasOwn(KEPT_MESSAGES, need(m, 'msgtype')));
  for (const [msgType, name] of Object.entries(KEPT_MESSAGES)) {
    const found = kept.filter((m) => need(m, 'msgtype') === msgType);
    if (found.length !== 1) throw new Error(`MsgType ${msgType} (${name}) appears ${found.length} times in <messages>`);
    if (need(found[0], 'name') !== name)
      throw new Error(`MsgType ${msgType} is ${need(found[0], 'name')}, not ${name}`);
  }
  return kept;
}

/** Components used by `roots`, following components that use components. */
function usedComponents(roots: readonly XmlElement[], components: XmlElement): Set<string> {
  const byName = new Map(components.children.map((c) => [need(c, 'name'), c]));
  const used = new Set<string>();
  let frontier = [...namesUnder(roots, ['component'])];
  while (frontier.length > 0) {
    const fresh = frontier.filter((n) => !used.has(n));
    fresh.forEach((n) => used.add(n));
    const defs = fresh.map((n) => {
      const def = byName.get(n);
      if (def === undefined) throw new Error(`component ${n} is used but not defined`);
      return def;
    });
    frontier = [...namesUnder(defs, ['component'])];
  }
  return used;
}

/** Keeps the children of `el` whose name is in `names`; throws if any name is not among them. */
function keepNamed(el: XmlElement, names: ReadonlySet<string>): XmlElement {
  const children = el.children.filter((c) => names.has(need(c, 'name')));
  const missing = [...names].filter((n) => !children.some((c) => need(c, 'name') === n));
  if (missing.length > 0) throw new Error(`<${el.name}> does not define ${missing.sort().join(', ')}`);
  return { ...el, children };
}

/** The reduced dictionary's root: the source's sections, in the source's order, reduced. */
export function reduceDictionary(root: XmlElement): XmlElement {
  if (root.name !== 'fix' || attr(root, 'major') !== '4' || attr(root, 'minor') !== '4') {
    throw new Error(
      `not a FIX 4.4 dictionary: <${root.name} major=${attr(root, 'major')} minor=${attr(root, 'minor')}>`,
    );
  }
  const [header, trailer] = [section(root, 'header'), section(root, 'trailer')];
  const messages = { ...section(root, 'messages'), children: keptMessages(section(root, 'messages')) };
  const compNames = usedComponents([header, trailer, messages], section(root, 'components'));
  const components = keepNamed(section(root, 'components'), compNames);
  // A group's name is its NumInGroup field, so groups count as field references too.
  const fieldNames = namesUnder([header, trailer, messages, components], ['field', 'group']);
  const fields = keepNamed(section(root, 'fields'), fieldNames);
  const reduced: Record<string, XmlElement> = { header, trailer, messages, components, fields };
  return { ...root, children: root.children.map((c) => reduced[c.name] ?? c) };
}

function banner(sourceSha256: string): string {
  return [
    '<!--',
    '  FIX 4.4 data dictionary for the Riskline FIX engine: the header, the trailer, the session',
    '  messages (0 1 2 3 4 5 A), the order-entry messages (D F G 8 9 j), and only the components and',
    '  fields (with their enums) that these use, in the source order.',
    '',
    '  Source: QuickFIX/J 2.3.1, Maven artifact org.quickfixj:quickfixj-messages-fix44:2.3.1, entry',
    `  FIX44.xml (sha256 ${sourceSha256}).`,
    '',
    '  QuickFIX/J is distributed under The QuickFIX Software License, Version 1.0',
    '  (http://www.quickfixj.org/documentation/license.html). The jar carries no LICENSE file, so the',
    '  licence text is not copied here. This product includes software developed by quickfixengine.org',
    '  (http://www.quickfixengine.org/).',
    '',
    '  Generated by tools/fix/extract-dictionary.ts; do not edit by hand.',
    '-->',
  ].join('\n');
}

/** The reduced dictionary's text from the full FIX44.xml's text. */
export function extractDictionary(sourceXml: string): string {
  const sha = createHash('sha256').update(sourceXml).digest('hex');
  return [banner(sha), ...renderXml(reduceDictionary(parseXml(sourceXml))), ''].join('\n');
}

/** The committed dictionary: gateways/fix/spec/FIX44.xml under the package root (from .ts or dist/). */
export function dictionaryPath(): string {
  return path.join(path.dirname(defaultConfigDir()), 'gateways', 'fix', 'spec', 'FIX44.xml');
}

/** The full FIX44.xml: the file given, or the entry of the QuickFIX/J jar in the local Maven repository. */
export function readSource(file?: string): string {
  if (file !== undefined) return readFileSync(file, 'utf8');
  if (!existsSync(QUICKFIXJ_JAR)) {
    throw new Error(
      `no FIX44.xml given and ${QUICKFIXJ_JAR} is missing: fetch it with ` +
        '`mvn dependency:get -Dartifact=org.quickfixj:quickfixj-messages-fix44:2.3.1`, or pass a FIX44.xml path',
    );
  }
  return execFileSync('unzip', ['-p', QUICKFIXJ_JAR, 'FIX44.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const text = extractDictionary(readSource(process.argv[2]));
    if (process.argv[3] === '-') process.stdout.write(text);
    else {
      const file = dictionaryPath();
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      process.stderr.write(`wrote ${file} (${text.length} bytes)\n`);
    }
  } catch (err) {
    process.stderr.write(`extract-dictionary: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

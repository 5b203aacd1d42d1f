// Checks a well-framed message against the FIX 4.4 dictionary (gateways/fix/generated/fix44.ts,
// generated from gateways/fix/spec/FIX44.xml) and names the first problem as the session Reject
// (35=3) must: SessionRejectReason (373), RefTagID (371) and a text. Order of the checks follows
// the session protocol: header fields first, the trailer last, no tag twice outside a repeating
// group, known tags defined for the message, values of the right format and in their enumeration,
// required fields present, repeating groups counted and begun by their delimiter.

import { FIELDS, HEADER, HEADER_TAGS, MESSAGES, TRAILER_TAGS, type Entry } from '../generated/fix44.js';
import type { FieldList } from '../codec/fields.js';

export const Reason = {
  InvalidTagNumber: 0,
  RequiredTagMissing: 1,
  TagNotDefinedForMessageType: 2,
  UndefinedTag: 3,
  TagWithoutValue: 4,
  ValueIncorrect: 5,
  IncorrectDataFormat: 6,
  CompIdProblem: 9,
  SendingTimeAccuracy: 10,
  InvalidMsgType: 11,
  TagAppearsMoreThanOnce: 13,
  TagOutOfOrder: 14,
  GroupFieldsOutOfOrder: 15,
  IncorrectNumInGroup: 16,
} as const;

export interface Problem {
  reason: number;
  refTag: number;
  text: string;
}

/** Tags at or above this are user-defined (FIX 4.4): passed through, not checked. */
const USER_DEFINED = 5000;

const problem = (reason: number, refTag: number, text: string): Problem => ({ reason, refTag, text });

/** The allowed tags of a layout (top level only), and its groups by count tag. */
interface Shape {
  tags: Set<number>;
  groups: Map<number, GroupShape>;
  required: number[];
}
interface GroupShape extends Shape {
  delimiter: number;
}

const shapes = new Map<readonly Entry[], Shape>();

function shapeOf(entries: readonly Entry[]): Shape {
  let s = shapes.get(entries);
  if (s !== undefined) return s;
  s = { tags: new Set(), groups: new Map(), required: [] };
  for (const e of entries) {
    const tag = e.kind === 'field' ? e.tag : e.countTag;
    s.tags.add(tag);
    if (e.required) s.required.push(tag);
    if (e.kind === 'group') s.groups.set(e.countTag, { ...shapeOf(e.entries), delimiter: e.delimiter });
  }
  shapes.set(entries, s);
  return s;
}

const INT = /^-?\d+$/;
const UINT = /^\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;
const UTC_TIMESTAMP = /^\d{8}-\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/;
const UTC_DATE = /^\d{8}$/;
const UTC_TIME = /^\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/;

/** Whether `value` has the format of a field of dictionary type `type`. */
function wellFormed(type: string, value: string): boolean {
  switch (type) {
    case 'INT':
      return INT.test(value);
    case 'SEQNUM':
    case 'LENGTH':
    case 'NUMINGROUP':
    case 'DAYOFMONTH':
      return UINT.test(value);
    case 'PRICE':
    case 'QTY':
    case 'FLOAT':
    case 'AMT':
    case 'PRICEOFFSET':
    case 'PERCENTAGE':
      return DECIMAL.test(value);
    case 'BOOLEAN':
      return value === 'Y' || value === 'N';
    case 'CHAR':
      return value.length === 1;
    case 'UTCTIMESTAMP':
      return UTC_TIMESTAMP.test(value);
    case 'UTCDATEONLY':
    case 'LOCALMKTDATE':
      return UTC_DATE.test(value);
    case 'UTCTIMEONLY':
      return UTC_TIME.test(value);
    default:
      return true;
  }
}

/** A defined field's value: its format, then its enumeration (each word of a multiple-value field). */
function checkValue(tag: number, value: string): Problem | null {
  const def = FIELDS[tag];
  // A CHAR field with enumerated values is checked against them (QuickFIX's MiscFeeType has two-character ones).
  if (!(def.type === 'CHAR' && def.values !== undefined) && !wellFormed(def.type, value))
    return problem(Reason.IncorrectDataFormat, tag, `tag ${tag} (${def.name}): "${value}" is not a ${def.type}`);
  if (def.values === undefined) return null;
  const words = def.type.startsWith('MULTIPLE') ? value.split(' ') : [value];
  for (const w of words)
    if (!(w in def.values))
      return problem(Reason.ValueIncorrect, tag, `tag ${tag} (${def.name}): "${w}" is not one of its values`);
  return null;
}

/**
 * The first problem of message `f` (its MsgType known to the dictionary), or null. Header and
 * trailer are checked here too, apart from what the session checks itself (CompIDs, SendingTime).
 */
export function validate(f: FieldList, msgType: string): Problem | null {
  const def = MESSAGES[msgType];
  if (def === undefined) return problem(Reason.InvalidMsgType, 35, `MsgType "${msgType}" is not supported`);
  const body = shapeOf(def.entries);
  const header = shapeOf(HEADER);
  const seen = new Set<number>();
  let region = 0; // 0 header, 1 body, 2 trailer
  for (let i = 0; i < f.count;) {
    const tag = f.tags[i];
    const inHeader = HEADER_TAGS.has(tag);
    const inTrailer = TRAILER_TAGS.has(tag);
    const next = inHeader ? 0 : inTrailer ? 2 : 1;
    if (next < region)
      return problem(
        Reason.TagOutOfOrder,
        tag,
        `tag ${tag} is out of order (${inHeader ? 'a header field after the body' : 'after the trailer'})`,
      );
    region = next;
    const shape = inHeader ? header : body;
    const p = checkField(f, i, shape, seen, msgType);
    if (p !== null) return p;
    const group = shape.groups.get(tag);
    if (group === undefined) {
      i++;
      continue;
    }
    const r = readGroup(f, i, group);
    if (typeof r !== 'number') return r;
    i = r;
  }
  for (const tag of [...header.required, ...body.required])
    if (!seen.has(tag))
      return problem(Reason.RequiredTagMissing, tag, `required tag ${tag} (${FIELDS[tag]?.name ?? '?'}) missing`);
  return null;
}

/** One top-level field: defined, for this message (or the header/trailer), once, and well formed. */
function checkField(f: FieldList, i: number, shape: Shape, seen: Set<number>, msgType: string): Problem | null {
  const tag = f.tags[i];
  if (FIELDS[tag] === undefined)
    return tag >= USER_DEFINED ? null : problem(Reason.InvalidTagNumber, tag, `tag ${tag} is not a FIX 4.4 field`);
  if (!shape.tags.has(tag) && !TRAILER_TAGS.has(tag))
    return problem(
      Reason.TagNotDefinedForMessageType,
      tag,
      `tag ${tag} (${FIELDS[tag].name}) is not defined for MsgType ${msgType}`,
    );
  if (seen.has(tag))
    return problem(Reason.TagAppearsMoreThanOnce, tag, `tag ${tag} (${FIELDS[tag].name}) appears more than once`);
  seen.add(tag);
  return checkValue(tag, f.valueAt(i));
}

/**
 * A repeating group whose count field is at `i`: NumInGroup instances, each begun by the delimiter,
 * their fields the group's, none twice in an instance. Returns the index after it, or a problem.
 */
function readGroup(f: FieldList, i: number, g: GroupShape): number | Problem {
  const countTag = f.tags[i];
  const declared = f.intAt(i);
  let p = i + 1;
  let instances = 0;
  while (p < f.count && f.tags[p] === g.delimiter) {
    instances++;
    const inInstance = new Set<number>();
    while (p < f.count && g.tags.has(f.tags[p]) && !inInstance.has(f.tags[p])) {
      const tag = f.tags[p];
      inInstance.add(tag);
      const v = checkValue(tag, f.valueAt(p));
      if (v !== null) return v;
      const nested = g.groups.get(tag);
      if (nested !== undefined) {
        const r = readGroup(f, p, nested);
        if (typeof r !== 'number') return r;
        p = r;
      } else p++;
    }
    for (const req of g.required)
      if (!inInstance.has(req))
        return problem(Reason.RequiredTagMissing, req, `required tag ${req} missing in group ${countTag}`);
  }
  if (instances === 0 && declared > 0 && p < f.count && g.tags.has(f.tags[p]))
    return problem(
      Reason.GroupFieldsOutOfOrder,
      f.tags[p],
      `group ${countTag} does not begin with its delimiter ${g.delimiter}`,
    );
  if (instances !== declared)
    return problem(
      Reason.IncorrectNumInGroup,
      countTag,
      `group ${countTag}: NumInGroup ${declared}, ${instances} instance(s) found`,
    );
  return p;
}

// Turning what went wrong into one line: JSON paths, zod issues, JSON syntax errors with a line and
// column, and the RisklineError('CONFIG_INVALID') every configuration failure becomes.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { RisklineError } from '../errors/catalogue.js';
import { describe as describeValue } from '../engine/validate.js';

export type JsonPath = readonly PropertyKey[];

/** `[12].strike`, `server.port`, `topics["md.ticks"].partitions`. */
export function formatPath(p: JsonPath): string {
  let out = '';
  for (const key of p) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** A short rendering of a received value for an error line: the one every input check uses. */
export { describeValue };

const TYPE_NAMES: Record<string, string> = { int: 'integer', array: 'array', object: 'object', record: 'object' };

function bound(issue: { inclusive?: boolean }, strict: string, inclusive: string): string {
  return issue.inclusive === false ? strict : inclusive;
}

/** What was expected, in words, for one zod issue (without the path and the received value). */
function expectation(issue: z.core.$ZodIssue): string {
  if (issue.message.startsWith('expected ')) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'array') return `expected at least ${min} item${min === '1' ? '' : 's'}`;
      if (issue.origin === 'string') {
        return min === '1' ? 'expected a non-empty string' : `expected at least ${min} characters`;
      }
      return `expected number ${bound(issue, '>', '>=')} ${min}`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'array') return `expected at most ${max} items`;
      if (issue.origin === 'string') return `expected at most ${max} characters`;
      return `expected number ${bound(issue, '<', '<=')} ${max}`;
    }
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => JSON.stringify(v)).join('|')}`;
    case 'invalid_format':
      return `expected ${issue.format}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    case 'invalid_key':
      return issue.issues[0] ? `invalid key: ${expectation(issue.issues[0])}` : 'invalid key';
    case 'invalid_union':
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const options = (issue as { options?: unknown[] }).options ?? [];
        return `expected one of ${options.map((v) => JSON.stringify(v)).join('|')}`;
      }
      return issue.errors[0]?.[0] ? expectation(issue.errors[0][0]) : issue.message;
    default:
      return issue.message;
  }
}

function received(issue: z.core.$ZodIssue): unknown {
  if (issue.code === 'invalid_union' && 'discriminator' in issue && typeof issue.discriminator === 'string') {
    const input = issue.input as Record<string, unknown> | undefined;
    return input && typeof input === 'object' ? input[issue.discriminator] : undefined;
  }
  return issue.input;
}

/**
 * One zod issue as `path: expected ..., received ...` (parse with `{ reportInput: true }` so the
 * received value is known). `allowedKeys` names the keys of the object an unknown key was found in.
 */
export function formatZodIssue(issue: z.core.$ZodIssue, allowedKeys?: readonly string[]): string {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const where = formatPath([...issue.path, key]);
    const allowed = allowedKeys && allowedKeys.length > 0 ? ` (expected one of ${allowedKeys.join(', ')})` : '';
    return `${where}: unknown key${allowed}`;
  }
  const where = issue.path.length > 0 ? `${formatPath(issue.path)}: ` : '';
  if (issue.code === 'custom') {
    const v = issue.input;
    const primitive = v === null || (typeof v !== 'object' && v !== undefined);
    return `${where}${issue.message}${primitive ? `, received ${describeValue(v)}` : ''}`;
  }
  const input = received(issue);
  if (input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    return `${where}missing: ${expectation(issue)}`;
  }
  return `${where}${expectation(issue)}, received ${describeValue(input)}`;
}

/** How a file is named in messages: relative to the working directory when it lies below it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function configError(where: string | null, p: JsonPath, message: string): RisklineError {
  const at = p.length > 0 ? `${formatPath(p)}: ` : '';
  return new RisklineError('CONFIG_INVALID', `${where === null ? '' : `${where}: `}${at}${message}`);
}

/** Offset of the first JSON syntax error in `s`, or -1 if it parses. */
export function jsonSyntaxErrorOffset(s: string): number {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxOffset(i);
  };
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const str = () => {
    i++;
    while (i < s.length) {
      const ch = s[i];
      if (ch === '"') return void i++;
      if (ch === '\\') {
        i++;
        if ('"\\/bfnrt'.includes(s[i] ?? 'x')) i++;
        else if (s[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) i += 5;
        else fail();
      } else if (ch < ' ') fail();
      else i++;
    }
    fail();
  };
  const num = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (s[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          ws();
          if (s[i] !== '"') fail();
          str();
          ws();
          if (s[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return str();
    for (const lit of ['true', 'false', 'null']) if (s.startsWith(lit, i)) return void (i += lit.length);
    num.lastIndex = i;
    if (num.test(s)) return void (i = num.lastIndex);
    fail();
  };
  try {
    value();
    ws();
    if (i < s.length) fail();
    return -1;
  } catch (e) {
    if (e instanceof SyntaxOffset) return e.offset;
    throw e;
  }
}

class SyntaxOffset {
  constructor(readonly offset: number) {}
}

function lineColumn(s: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < s.length; k++) {
    if (s[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return `line ${line} column ${offset - lineStart + 1}`;
}

/** Reads and parses a JSON file; any failure is one CONFIG_INVALID line naming the file. */
export function readJsonFile(file: string): unknown {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(err));
    throw new RisklineError('CONFIG_INVALID', `${shown}: cannot read (${why})`, { cause: err });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const what = raw.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
    const offset = jsonSyntaxErrorOffset(text);
    const at = offset >= 0 ? ` at ${lineColumn(text, offset)}` : '';
    throw new RisklineError('CONFIG_INVALID', `${shown}: not valid JSON (${what}${at})`, { cause: err });
  }
}

/**
 * Tokenizer for MiniPy, after CPython's tokenizer: INDENT/DEDENT from a stack of indentation
 * widths, implicit line joining inside brackets, backslash continuation, string prefixes
 * (r, b, f, u and combinations), triple-quoted strings. F-strings are returned as one token with
 * the raw body; the parser splits them (CPython 3.11 does the same).
 */
import { PySyntaxError } from './errors.js';

export type TokType = 'NAME' | 'NUMBER' | 'STRING' | 'OP' | 'NEWLINE' | 'INDENT' | 'DEDENT' | 'EOF';

export interface Token {
  type: TokType;
  value: string;
  line: number;
  col: number;
  /** STRING only: lower-cased prefix letters (e.g. 'rb', 'f', ''). */
  prefix?: string;
}

const OPS3 = ['**=', '//=', '>>=', '<<=', '...', '!='];
const OPS2 = [
  '**',
  '//',
  '>>',
  '<<',
  '<=',
  '>=',
  '==',
  '!=',
  '->',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
  ':=',
];
const OPS1 = '+-*/%@&|^~<>()[]{},:.;=';

function isIdStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\x7f';
}
function isIdChar(c: string): boolean {
  return isIdStart(c) || (c >= '0' && c <= '9');
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Tokenize `src`. Throws {@link PySyntaxError} with line and column. */
export function tokenize(src: string, filename = '<string>', lineOffset = 0, colOffset = 0): Token[] {
  const toks: Token[] = [];
  const indents = [0];
  /** Widths with a tab counted as one column: CPython's check for inconsistent tabs/spaces. */
  const altIndents = [0];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let depth = 0; // bracket nesting
  const brackets: { ch: string; line: number; col: number }[] = [];
  let atLineStart = true;
  const n = src.length;
  const err = (msg: string, l = line, c = i - lineStart + 1): never => {
    throw new PySyntaxError(msg, l + lineOffset, c + (l === 1 ? colOffset : 0), filename);
  };
  const push = (type: TokType, value: string, col: number, extra?: Partial<Token>) => {
    toks.push({
      type,
      value,
      line: line + lineOffset,
      col: col + 1 + (line === 1 ? colOffset : 0),
      ...extra,
    });
  };
  while (i < n) {
    if (atLineStart && depth === 0) {
      // measure indentation
      let width = 0;
      let alt = 0;
      let j = i;
      while (j < n && (src[j] === ' ' || src[j] === '\t' || src[j] === '\f')) {
        width = src[j] === '\t' ? (width + 8) & ~7 : src[j] === '\f' ? 0 : width + 1;
        alt = src[j] === '\f' ? 0 : alt + 1;
        j++;
      }
      // blank or comment-only line: no tokens
      if (
        j >= n ||
        src[j] === '\n' ||
        src[j] === '#' ||
        src[j] === '\r' ||
        (src[j] === '\\' && src[j + 1] === '\n')
      ) {
        if (src[j] === '\\') {
          i = j + 2;
          line++;
          lineStart = i;
          continue;
        }
        while (j < n && src[j] !== '\n') j++;
        i = j + 1;
        line++;
        lineStart = i;
        continue;
      }
      i = j;
      atLineStart = false;
      const cur = indents[indents.length - 1];
      const curAlt = altIndents[altIndents.length - 1];
      const tabError = (): never => {
        throw new PySyntaxError(
          'inconsistent use of tabs and spaces in indentation',
          line + lineOffset,
          width + 1,
          filename,
          'TabError',
        );
      };
      if (width > cur) {
        if (alt <= curAlt) tabError();
        indents.push(width);
        altIndents.push(alt);
        push('INDENT', '', 0);
      } else if (width === cur) {
        if (alt !== curAlt) tabError();
      } else {
        while (width < indents[indents.length - 1]) {
          indents.pop();
          altIndents.pop();
          push('DEDENT', '', width);
        }
        if (width === indents[indents.length - 1] && alt !== altIndents[altIndents.length - 1]) tabError();
        if (width !== indents[indents.length - 1]) {
          throw new PySyntaxError(
            'unindent does not match any outer indentation level',
            line + lineOffset,
            width + 1,
            filename,
            'IndentationError',
          );
        }
      }
    }
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\f' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      if (src[i + 1] === '\n' || (src[i + 1] === '\r' && src[i + 2] === '\n')) {
        i += src[i + 1] === '\n' ? 2 : 3;
        line++;
        lineStart = i;
        continue;
      }
      err('unexpected character after line continuation character');
    }
    if (c === '\n') {
      if (depth === 0) push('NEWLINE', '', i - lineStart);
      i++;
      line++;
      lineStart = i;
      if (depth === 0) atLineStart = true;
      continue;
    }
    const col = i - lineStart;
    // strings (with optional prefix)
    if (isIdStart(c) || c === '"' || c === "'") {
      let j = i;
      while (j < n && isIdChar(src[j])) j++;
      const word = src.slice(i, j);
      const q = src[j];
      if ((q === '"' || q === "'") && /^(r|u|b|f|br|rb|fr|rf)?$/i.test(word)) {
        const prefix = word.toLowerCase();
        const startLine = line;
        const triple = src[j + 1] === q && src[j + 2] === q;
        let k = triple ? j + 3 : j + 1;
        const bodyStart = k;
        for (;;) {
          if (k >= n) {
            if (triple) err('unterminated triple-quoted string literal', startLine, col + 1);
            err('unterminated string literal', startLine, col + 1);
          }
          const ch = src[k];
          if (ch === '\\') {
            if (src[k + 1] === '\n') {
              line++;
              lineStart = k + 2;
            }
            k += 2;
            continue;
          }
          if (ch === '\n') {
            if (!triple) err('unterminated string literal', startLine, col + 1);
            line++;
            lineStart = k + 1;
          }
          if (ch === q && (!triple || (src[k + 1] === q && src[k + 2] === q))) break;
          k++;
        }
        const body = src.slice(bodyStart, k);
        i = triple ? k + 3 : k + 1;
        toks.push({
          type: 'STRING',
          value: body,
          line: startLine + lineOffset,
          col: col + 1 + (startLine === 1 ? colOffset : 0),
          prefix,
        });
        continue;
      }
      if (isIdStart(c)) {
        push('NAME', word, col);
        i = j;
        continue;
      }
    }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1] ?? ''))) {
      let j = i;
      if (c === '0' && /[xXoObB]/.test(src[i + 1] ?? '')) {
        j += 2;
        while (j < n && /[0-9a-fA-F_]/.test(src[j])) j++;
      } else {
        while (j < n && (isDigit(src[j]) || src[j] === '_')) j++;
        if (src[j] === '.') {
          j++;
          while (j < n && (isDigit(src[j]) || src[j] === '_')) j++;
        }
        if (src[j] === 'e' || src[j] === 'E') {
          let k = j + 1;
          if (src[k] === '+' || src[k] === '-') k++;
          if (isDigit(src[k] ?? '')) {
            j = k;
            while (j < n && (isDigit(src[j]) || src[j] === '_')) j++;
          }
        }
        if (src[j] === 'j' || src[j] === 'J') j++;
      }
      if (j < n && isIdStart(src[j])) {
        // CPython accepts a keyword glued to a number (`1if x else 2`), nothing else
        let k = j;
        while (k < n && isIdChar(src[k])) k++;
        if (!['and', 'else', 'for', 'if', 'in', 'is', 'not', 'or'].includes(src.slice(j, k))) {
          err('invalid decimal literal', line, j - lineStart + 1);
        }
      }
      push('NUMBER', src.slice(i, j), col);
      i = j;
      continue;
    }
    const three = src.slice(i, i + 3);
    const two = src.slice(i, i + 2);
    let op = '';
    if (OPS3.includes(three)) op = three;
    else if (OPS2.includes(two)) op = two;
    else if (OPS1.includes(c)) op = c;
    else if (c === '!') err('invalid syntax');
    else err(`invalid character '${c}' (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
    if (op === '(' || op === '[' || op === '{') {
      depth++;
      brackets.push({ ch: op, line, col: col + 1 });
    } else if (op === ')' || op === ']' || op === '}') {
      const open = brackets.pop();
      if (open === undefined) err(`unmatched '${op}'`);
      const want = open!.ch === '(' ? ')' : open!.ch === '[' ? ']' : '}';
      if (want !== op) err(`closing parenthesis '${op}' does not match opening parenthesis '${open!.ch}'`);
      depth--;
    }
    push('OP', op, col);
    i += op.length;
  }
  if (depth > 0) {
    const open = brackets[brackets.length - 1];
    err(`'${open.ch}' was never closed`, open.line, open.col);
  }
  if (toks.length > 0 && toks[toks.length - 1].type !== 'NEWLINE' && toks[toks.length - 1].type !== 'DEDENT')
    push('NEWLINE', '', i - lineStart);
  while (indents.length > 1) {
    indents.pop();
    push('DEDENT', '', 0);
  }
  push('EOF', '', i - lineStart);
  return toks;
}

/** Decode backslash escapes of a non-raw string literal body. */
export function decodeEscapes(body: string, isBytes: boolean, onError: (msg: string) => never): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const d = body[++i];
    switch (d) {
      case '\n':
        break;
      case '\\':
        out += '\\';
        break;
      case "'":
        out += "'";
        break;
      case '"':
        out += '"';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x': {
        const h = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) onError(`(unicode error) truncated \\xXX escape`);
        out += String.fromCharCode(Number.parseInt(h, 16));
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        if (isBytes) {
          out += `\\${d}`;
          break;
        }
        const len = d === 'u' ? 4 : 8;
        const h = body.slice(i + 1, i + 1 + len);
        if (h.length !== len || !/^[0-9a-fA-F]+$/.test(h)) onError(`(unicode error) truncated \\${d} escape`);
        out += String.fromCodePoint(Number.parseInt(h, 16));
        i += len;
        break;
      }
      default:
        if (d !== undefined && d >= '0' && d <= '7') {
          let j = i;
          while (j < i + 3 && body[j] >= '0' && body[j] <= '7') j++;
          out += String.fromCharCode(Number.parseInt(body.slice(i, j), 8));
          i = j - 1;
        } else out += `\\${d ?? ''}`;
    }
  }
  return out;
}

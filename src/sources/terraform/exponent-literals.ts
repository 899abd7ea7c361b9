// HCL number literals may have an exponent without a fraction (`1e1`, `2E-3`; HCL native syntax
// spec, "Numeric Literals": `decimal+ ("." decimal+)? (expmark decimal+)?`), which the tree-sitter
// HCL grammar does not accept: it reads `1` and an identifier `e1`, a syntax error that would drop
// every resource of the file. Such literals are masked before parsing with same-length digit runs
// (positions stay exact) and restored from the recorded text when the literal is converted.

/** A masked source and the original text of each masked literal, by start offset. */
export interface MaskedExponents {
  src: string;
  literals: Map<number, string>;
}

const IDENT = /[A-Za-z0-9_-]/;

/**
 * Masks exponent-without-fraction number literals in code (not in comments, string or heredoc
 * text; inside `${ }` / `%{ }` interpolations they are code again). Returns `src` unchanged, with an
 * empty map, when there is none.
 */
export function maskExponentLiterals(src: string): MaskedExponents {
  const literals = new Map<number, string>();
  if (!/\d[eE]/.test(src)) return { src, literals };
  type Frame = { k: 'str' } | { k: 'heredoc'; marker: string } | { k: 'interp' } | { k: 'brace' };
  const stack: Frame[] = [];
  const top = () => stack[stack.length - 1];
  let out = '';
  let last = 0;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const t = top();
    const c = src[i] as string;
    if (t?.k === 'str') {
      if (c === '\\') i += 2;
      else if (c === '"') {
        stack.pop();
        i++;
      } else if ((c === '$' || c === '%') && src[i + 1] === '{' && src[i - 1] !== c) {
        stack.push({ k: 'interp' });
        i += 2;
      } else if (c === '\n') {
        stack.pop(); // unterminated string: let the parser report it
        i++;
      } else i++;
      continue;
    }
    if (t?.k === 'heredoc') {
      const lineEnd = src.indexOf('\n', i);
      const line = src.slice(i, lineEnd < 0 ? n : lineEnd);
      if (line.trim() === t.marker) {
        stack.pop();
        i = lineEnd < 0 ? n : lineEnd;
        continue;
      }
      const j = line.search(/(?<![$%])[$%]\{/);
      if (j >= 0) {
        stack.push({ k: 'interp' });
        i += j + 2;
      } else i = lineEnd < 0 ? n : lineEnd + 1;
      continue;
    }
    // code (top level, or inside an interpolation)
    if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      const e = src.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (c === '/' && src[i + 1] === '*') {
      const e = src.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === '"') {
      stack.push({ k: 'str' });
      i++;
    } else if (c === '<' && src[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(src.slice(i, i + 200));
      if (m) {
        stack.push({ k: 'heredoc', marker: m[1] as string });
        i += m[0].length;
      } else i += 2;
    } else if (c === '{') {
      stack.push({ k: 'brace' });
      i++;
    } else if (c === '}') {
      if (t?.k === 'brace' || t?.k === 'interp') stack.pop();
      i++;
    } else if (c >= '0' && c <= '9' && !IDENT.test(src[i - 1] ?? ' ') && src[i - 1] !== '.') {
      const m = /^\d+[eE][+-]?\d+/.exec(src.slice(i, i + 64));
      const after = m ? src[i + m[0].length] : undefined;
      if (m && (after === undefined || !IDENT.test(after)) && after !== '.') {
        literals.set(i, m[0]);
        out += src.slice(last, i) + '0'.repeat(m[0].length);
        last = i + m[0].length;
        i = last;
      } else {
        const d = /^[\d.]+(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 64));
        i += d ? d[0].length : 1;
      }
    } else i++;
  }
  if (literals.size === 0) return { src, literals };
  return { src: out + src.slice(last), literals };
}

// Minimal XML 1.0 escaping for the JUnit renderer (no XML library needed to write a flat document).

/** Characters XML 1.0 forbids anywhere (C0 controls except tab/LF/CR, U+FFFE, U+FFFF). */
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
/** A UTF-16 surrogate not part of a pair (cannot be encoded as UTF-8). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Fast path: text without any of these characters is returned as is. */
const NEEDS_WORK = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const NEEDS_WORK_ATTR = /[&<>"'\t\n\r\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;

function clean(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(INVALID_XML, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Escapes text content: `&`, `<`, `>` become entities; characters XML 1.0 cannot carry (e.g. BEL,
 * ESC, NUL) become the visible text `\xNN`; lone surrogates become U+FFFD.
 */
export function xmlText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes an attribute value for use between double quotes: as {@link xmlText} plus `"`, `'`, and
 * tab/LF/CR as character references (so attribute-value normalisation keeps them).
 */
export function xmlAttr(text: string): string {
  if (!NEEDS_WORK_ATTR.test(text)) return text;
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** Renders `name="value"` pairs, skipping undefined values, in the given order. */
export function xmlAttrs(attrs: [string, string | number | undefined][]): string {
  return attrs
    .filter((a): a is [string, string | number] => a[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

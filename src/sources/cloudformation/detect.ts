/** File name endings a template may have (case-insensitive). */
export const TEMPLATE_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json', '.template'];

/** True when `name` has one of {@link TEMPLATE_EXTENSIONS}. */
export function hasTemplateExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return TEMPLATE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** A resource type CloudFormation knows: `AWS::...`, `Custom::...`, `Alexa::ASK::...`, a registry `Org::Svc::Res`. */
const RESOURCE_TYPE = /["']?Type["']?\s*:\s*["']?(?:AWS|Custom|Alexa)::/;

/**
 * True when `head` (the start of a file, up to 64 KiB) is a CloudFormation template
 * (CloudFormation "Template anatomy"): its top level has `AWSTemplateFormatVersion`, or has
 * `Resources` and the text names a resource type (`Type: AWS::...`, `Custom::...`). Only top-level
 * keys count, so a Lambda test event or a macro request that holds a template fragment under another
 * key is not a template; a Kubernetes manifest (top-level `apiVersion` and `kind`) never is.
 */
export function looksLikeTemplate(head: string): boolean {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const keys = /^\s*\{/.test(text) ? jsonTopLevelKeys(text) : yamlTopLevelKeys(text);
  if (keys.has('apiVersion') && keys.has('kind')) return false;
  if (keys.has('AWSTemplateFormatVersion')) return true;
  return keys.has('Resources') && RESOURCE_TYPE.test(text);
}

/** Keys written at column 0 of a block-style YAML document (`Key:`, `"Key":`, `'Key':`). */
function yamlTopLevelKeys(text: string): Set<string> {
  const keys = new Set<string>();
  const re = /^(?:"([^"\n]*)"|'([^'\n]*)'|([A-Za-z_][\w.-]*))[ \t]*:(?:[ \t]|$)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) keys.add(m[1] ?? m[2] ?? m[3]!);
  return keys;
}

/**
 * Keys of the outermost JSON object found in `text` (which may be cut short): a scan that skips
 * strings and counts nesting, collecting the strings followed by `:` at depth 1.
 */
function jsonTopLevelKeys(text: string): Set<string> {
  const keys = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1) {
        let k = j + 1;
        while (k < text.length && /\s/.test(text[k]!)) k++;
        if (text[k] === ':') keys.add(text.slice(i + 1, j));
      }
      i = j;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
}

// Worker side of parse-pool.ts: parses HCL texts with its own tree-sitter instance and posts the
// plain-JS syntax trees (ast.ts) back. Out first: { ready: true } once warmed up; then for each
// message in { texts: string[], opts?: HclParseOptions } one message out { files: ParsedFile[] }.
import { parentPort } from 'node:worker_threads';
import { getHclParser, type HclParseOptions, parseHclWith } from './hcl-parser.js';

const parser = await getHclParser();
// Warm the parser and converter up (JIT) while the main thread is still starting.
// biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation, not a JS template
const WARM_UP = 'locals {\n  a = [for k, v in var.m : "${k}-${v}" if v != null]\n}\n';
const WARM_UP_BLOCK =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation, not a JS template
  'resource "x" "y" {\n  count = 2\n  b = { c = 1 }\n  dynamic "f" {\n    for_each = var.g\n    content {\n      h = f.value\n    }\n  }\n  i = <<EOT\n${var.j}\nEOT\n}\n';
parseHclWith(parser, WARM_UP + WARM_UP_BLOCK);
parentPort?.on('message', (msg: { texts: string[]; opts?: HclParseOptions }) => {
  parentPort?.postMessage({ files: msg.texts.map((t) => parseHclWith(parser, t, msg.opts)) });
});
parentPort?.postMessage({ ready: true });

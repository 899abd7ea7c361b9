// Worker side of parse-pool.ts: parses HCL texts with its own tree-sitter instance and posts the
// plain-JS syntax trees (ast.ts) back. Message in: { texts: string[] }; out: { files: ParsedFile[] }.
import { parentPort } from 'node:worker_threads';
import { getHclParser, parseHclWith } from './hcl-parser.js';

const parser = await getHclParser();
parentPort?.on('message', (msg: { texts: string[] }) => {
  parentPort?.postMessage({ files: msg.texts.map((t) => parseHclWith(parser, t)) });
});

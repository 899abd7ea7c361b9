import { parseAllDocuments, LineCounter, Lexer, Parser, Composer } from 'yaml';
for (const n of [100e3, 200e3, 400e3]) {
  const v = 'a: [' + '1, '.repeat(n / 3) + '1]';
  let t = Date.now();
  const toks = [...new Lexer().lex(v)]; const tl = Date.now() - t; t = Date.now();
  const csts = [...new Parser().parse(v)]; const tp = Date.now() - t; t = Date.now();
  const docs = [...new Composer().compose(csts)]; const tc = Date.now() - t;
  console.log(n, 'lex', tl, 'parse', tp, 'compose', tc, toks.length);
  const w = 'a: {' + Array.from({ length: n / 8 }, (_, i) => `k${i}: v`).join(', ') + '}';
  t = Date.now(); parseAllDocuments(w); console.log(' flowmap', Date.now() - t);
  const q = 'a: "' + 'x'.repeat(n*10) + '"';
  t = Date.now(); parseAllDocuments(q); console.log(' quoted x10', Date.now() - t);
}

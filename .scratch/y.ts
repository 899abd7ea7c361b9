import { parseDocument, isScalar, isMap } from 'yaml';
for (const merge of [false, true]) {
  const d = parseDocument('a: &x {b: 1}\nc:\n  <<: *x\n  "<<": 2\n', { version: '1.1', merge });
  const c = (d.contents as any).items[1].value;
  for (const it of c.items) console.log(merge, typeof it.key, it.key?.constructor?.name, JSON.stringify(it.key?.value), String(it.key?.value), it.key?.type, it.key?.tag);
}

import { getHclParser } from './src/sources/terraform/hcl-parser.js';
const parser = await getHclParser();
for (const src of ['a = [[1]]\n', 'a = f(g(1))\n', 'a = {b = {c = 1}}\n', 'a = (((1)))\n', 'a = 1 + (2 + 3)\n', 'b "x" {\n c {\n  d = 1\n }\n}\n']) {
  const t = parser.parse(src)!;
  console.log(JSON.stringify(src), t.rootNode.toString());
}

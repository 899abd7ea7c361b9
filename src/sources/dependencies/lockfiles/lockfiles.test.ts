import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lockfileFormat } from './index.js';
import type { LockfileContext, ParsedLockfile } from './types.js';
import { LockfileError } from './types.js';

const none: LockfileContext = { sibling: () => undefined };
const withSiblings = (files: Record<string, string>): LockfileContext => ({ sibling: (n) => files[n] });
const parse = (name: string, text: string, ctx = none): ParsedLockfile =>
  lockfileFormat(name)!.parse(text, ctx);
const brief = (p: ParsedLockfile) =>
  p.packages.map(
    (x) =>
      `${x.name}@${x.version ?? '?'}${x.direct === true ? ' direct' : x.direct === false ? ' transitive' : ''}${x.dev ? ' dev' : ''}`,
  );

test('package-lock.json v3: packages map, nested copies, root dependencies are direct, links skipped', () => {
  const p = parse(
    'package-lock.json',
    JSON.stringify(
      {
        lockfileVersion: 3,
        packages: {
          '': { name: 'app', dependencies: { express: '^4' }, devDependencies: { '@types/node': '^20' } },
          'node_modules/express': { version: '4.18.2' },
          'node_modules/@types/node': { version: '20.1.0', dev: true },
          'node_modules/express/node_modules/debug': { version: '2.6.9' },
          'node_modules/local-pkg': { resolved: 'packages/local', link: true },
          'packages/local': { name: 'local', version: '1.0.0' },
        },
      },
      null,
      2,
    ),
  );
  assert.equal(p.format, 'package-lock.json v3');
  assert.deepEqual(brief(p), [
    'express@4.18.2 direct',
    '@types/node@20.1.0 direct dev',
    'debug@2.6.9 transitive',
  ]);
  assert.ok(p.packages[0]!.line > 1, 'positions point into the file');
});

test('package-lock.json v1: nested dependencies; direct from package.json beside it', () => {
  const text = JSON.stringify({
    lockfileVersion: 1,
    dependencies: {
      a: { version: '1.0.0', dependencies: { b: { version: '2.0.0' } } },
      c: { version: '3.0.0', dev: true },
    },
  });
  assert.deepEqual(
    brief(parse('package-lock.json', text, withSiblings({ 'package.json': '{"dependencies":{"a":"1"}}' }))),
    ['a@1.0.0 direct', 'b@2.0.0 transitive', 'c@3.0.0 transitive dev'],
  );
  assert.deepEqual(
    brief(parse('package-lock.json', text)),
    ['a@1.0.0', 'b@2.0.0 transitive', 'c@3.0.0 dev'],
    'unknown without the manifest',
  );
});

test('yarn.lock classic and berry', () => {
  const classic = `# yarn lockfile v1\n\n"@babel/core@^7.0.0", "@babel/core@^7.1.0":\n  version "7.22.5"\n  resolved "https://registry.yarnpkg.com/@babel/core/-/core-7.22.5.tgz"\n\nlodash@^4.17.0:\n  version "4.17.20"\n`;
  assert.deepEqual(
    brief(parse('yarn.lock', classic, withSiblings({ 'package.json': '{"dependencies":{"lodash":"^4"}}' }))),
    ['@babel/core@7.22.5 transitive', 'lodash@4.17.20 direct'],
  );
  const berry = `__metadata:\n  version: 8\n  cacheKey: 10\n\n"lodash@npm:^4.17.0":\n  version: 4.17.21\n  resolution: "lodash@npm:4.17.21"\n  languageName: node\n  linkType: hard\n\n"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n  languageName: unknown\n  linkType: soft\n`;
  const b = parse('yarn.lock', berry);
  assert.equal(b.format, 'yarn.lock (berry)');
  assert.deepEqual(brief(b), ['lodash@4.17.21']);
});

test('pnpm-lock.yaml v5, v6 and v9', () => {
  const v9 = `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      react:\n        specifier: ^18\n        version: 18.2.0\n    devDependencies:\n      typescript:\n        specifier: ^5\n        version: 5.4.5\npackages:\n  react@18.2.0:\n    resolution: {integrity: sha512-x}\n  loose-envify@1.4.0:\n    resolution: {integrity: sha512-y}\n  typescript@5.4.5:\n    resolution: {integrity: sha512-z}\n  '@scope/pkg@1.0.0(react@18.2.0)':\n    resolution: {integrity: sha512-w}\n`;
  assert.deepEqual(brief(parse('pnpm-lock.yaml', v9)), [
    'react@18.2.0 direct',
    'loose-envify@1.4.0 transitive',
    'typescript@5.4.5 direct dev',
    '@scope/pkg@1.0.0 transitive',
  ]);
  const v6 = `lockfileVersion: '6.0'\ndependencies:\n  lodash:\n    specifier: ^4\n    version: 4.17.21\npackages:\n  /lodash@4.17.21:\n    resolution: {integrity: sha512-x}\n    dev: false\n`;
  assert.deepEqual(brief(parse('pnpm-lock.yaml', v6)), ['lodash@4.17.21 direct']);
  const v5 = `lockfileVersion: 5.4\nspecifiers:\n  a: ^1\ndependencies:\n  a: 1.2.3_b@2.0.0\npackages:\n  /a/1.2.3_b@2.0.0:\n    resolution: {integrity: x}\n  /@s/b/2.0.0:\n    resolution: {integrity: y}\n`;
  assert.deepEqual(brief(parse('pnpm-lock.yaml', v5)), ['a@1.2.3 direct', '@s/b@2.0.0 transitive']);
});

test('requirements.txt: pinned lines with extras, markers, hashes and continuations; unpinned ones keep no version', () => {
  const p = parse(
    'requirements.txt',
    `# comment\nDjango==4.2.1 ; python_version >= "3.8"\nrequests[security]==2.31.0 \\\n    --hash=sha256:abc\nflask>=2.0\n-r other.txt\nnumpy===1.26.0\n`,
  );
  assert.deepEqual(brief(p), [
    'django@4.2.1 direct',
    'requests@2.31.0 direct',
    'flask@? direct',
    'numpy@1.26.0 direct',
  ]);
  assert.equal(p.packages[1]!.line, 3);
  assert.ok(lockfileFormat('requirements-dev.txt'));
});

test('poetry.lock, uv.lock and Pipfile.lock', () => {
  const poetry = `[[package]]\nname = "Jinja2"\nversion = "2.11.2"\ncategory = "main"\n\n[[package]]\nname = "pytest"\nversion = "7.0.0"\ncategory = "dev"\n`;
  assert.deepEqual(
    brief(
      parse(
        'poetry.lock',
        poetry,
        withSiblings({ 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.10"\njinja2 = "^2"\n' }),
      ),
    ),
    ['jinja2@2.11.2 direct', 'pytest@7.0.0 transitive dev'],
  );
  const uv = `version = 1\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [{ name = "httpx" }]\n\n[[package]]\nname = "httpx"\nversion = "0.27.0"\nsource = { registry = "https://pypi.org/simple" }\n\n[[package]]\nname = "idna"\nversion = "3.7"\nsource = { registry = "https://pypi.org/simple" }\n`;
  assert.deepEqual(brief(parse('uv.lock', uv)), ['httpx@0.27.0 direct', 'idna@3.7 transitive']);
  const pipfile = JSON.stringify({
    _meta: {},
    default: { requests: { version: '==2.31.0' }, urllib3: { version: '==2.0.0' } },
    develop: { black: { version: '==23.1.0' } },
  });
  assert.deepEqual(
    brief(
      parse(
        'Pipfile.lock',
        pipfile,
        withSiblings({ Pipfile: '[packages]\nrequests = "*"\n[dev-packages]\nblack = "*"\n' }),
      ),
    ),
    ['requests@2.31.0 direct', 'urllib3@2.0.0 transitive', 'black@23.1.0 direct dev'],
  );
});

test('go.mod (require blocks, // indirect, replace) and go.sum', () => {
  const mod = `module x\n\ngo 1.22\n\nrequire github.com/a/b v1.2.3\n\nrequire (\n\tgolang.org/x/text v0.3.7 // indirect\n\tgithub.com/c/d v0.0.0-20230101000000-abcdefabcdef\n\texample.com/local v1.0.0\n)\n\nreplace github.com/a/b => github.com/fork/b v1.2.4\nreplace example.com/local => ../local\n`;
  assert.deepEqual(brief(parse('go.mod', mod)), [
    'github.com/fork/b@v1.2.4 direct',
    'golang.org/x/text@v0.3.7 transitive',
    'github.com/c/d@v0.0.0-20230101000000-abcdefabcdef direct',
  ]);
  const sum = `golang.org/x/text v0.3.7 h1:abc=\ngolang.org/x/text v0.3.7/go.mod h1:def=\ngolang.org/x/net v0.1.0/go.mod h1:ghi=\n`;
  assert.deepEqual(brief(parse('go.sum', sum)), ['golang.org/x/text@v0.3.7']);
});

test('Cargo.lock, Gemfile.lock and composer.lock', () => {
  const cargo = `version = 3\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["serde 1.0.1", "time"]\n\n[[package]]\nname = "serde"\nversion = "1.0.1"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n[[package]]\nname = "time"\nversion = "0.1.44"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n[[package]]\nname = "libc"\nversion = "0.2.150"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n`;
  assert.deepEqual(brief(parse('Cargo.lock', cargo)), [
    'serde@1.0.1 direct',
    'time@0.1.44 direct',
    'libc@0.2.150 transitive',
  ]);
  const gem = `GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.0-x86_64-linux)\n      racc (~> 1.4)\n    racc (1.6.0)\n    rails (7.0.4)\n\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  nokogiri\n  rails (~> 7.0)\n\nBUNDLED WITH\n   2.4.0\n`;
  assert.deepEqual(brief(parse('Gemfile.lock', gem)), [
    'nokogiri@1.13.0 direct',
    'racc@1.6.0 transitive',
    'rails@7.0.4 direct',
  ]);
  const composer = JSON.stringify({
    packages: [
      { name: 'monolog/monolog', version: '2.9.1' },
      { name: 'psr/log', version: '1.1.4' },
    ],
    'packages-dev': [{ name: 'phpunit/phpunit', version: '9.6.0' }],
  });
  assert.deepEqual(
    brief(
      parse(
        'composer.lock',
        composer,
        withSiblings({
          'composer.json': '{"require":{"monolog/monolog":"^2"},"require-dev":{"phpunit/phpunit":"^9"}}',
        }),
      ),
    ),
    ['monolog/monolog@2.9.1 direct', 'psr/log@1.1.4 transitive', 'phpunit/phpunit@9.6.0 direct dev'],
  );
});

test('malformed lockfiles are LockfileErrors (reported with the file), never crashes', () => {
  for (const [name, text] of [
    ['package-lock.json', '{"lockfileVersion": 3, "packages": {'],
    ['poetry.lock', '[[package]\nname = '],
    ['Cargo.lock', 'version = = 3'],
    ['Gemfile.lock', 'just some text\n'],
    ['pnpm-lock.yaml', 'a: [unclosed\n'],
    ['composer.lock', '[]'],
  ] as const) {
    assert.throws(() => parse(name, text), LockfileError, name);
  }
});

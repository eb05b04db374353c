import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameProblem, parseManifest } from '../lib/manifest.js';
import { int, pick, prng } from './yql/random.js';

const PATH = 'sql/manifest.txt';

function parse(text: string) {
  return parseManifest(text, PATH);
}

function errorSummary(text: string): string[] {
  return parse(text).errors.map((e) => `${e.code}@${e.location?.line}:${e.location?.column}`);
}

test('names are listed in order with their lines; comments and blank lines are skipped', () => {
  const { manifest, errors } = parse(
    ['# migrations for the shop', '', '0001_create_users', '   0002_add_email   ', '# later', 'billing/0003_add_invoices', ''].join('\n'),
  );
  assert.deepEqual(errors, []);
  assert.equal(manifest.path, PATH);
  assert.deepEqual(manifest.entries, [
    { name: '0001_create_users', line: 3, column: 1 },
    { name: '0002_add_email', line: 4, column: 4 },
    { name: 'billing/0003_add_invoices', line: 6, column: 1 },
  ]);
  assert.deepEqual(manifest.tags, []);
});

test('a trailing comment after whitespace is ignored', () => {
  const { manifest, errors } = parse('0001_init  # creates users\n0002_next\t# tab works too\n@v1 # release\n');
  assert.deepEqual(errors, []);
  assert.deepEqual(manifest.entries.map((e) => e.name), ['0001_init', '0002_next']);
  assert.deepEqual(manifest.tags, [{ tag: 'v1', afterIndex: 1, line: 3 }]);
});

test('a # glued to a name is not a comment but a bad character', () => {
  const { manifest, errors } = parse('0001_init#old\n');
  assert.deepEqual(manifest.entries, []);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.code, 'MANIFEST_BAD_NAME');
  assert.deepEqual(errors[0]!.location, { file: PATH, line: 1, column: 10 });
  assert.match(errors[0]!.message, /"#" is not allowed/);
});

test('a BOM and CRLF line endings read the same as plain LF', () => {
  const plain = parse('0001_a\n@v1\n0002_b\n');
  const windows = parse('\uFEFF0001_a\r\n@v1\r\n0002_b\r\n');
  assert.deepEqual(windows, plain);
  assert.deepEqual(windows.manifest.entries[0], { name: '0001_a', line: 1, column: 1 });
});

test('tags mark the migration above them, several tags may follow one migration', () => {
  const { manifest, errors } = parse('0001_a\n@v1\n@stable\n0002_b\n0003_c\n@v2.0-rc_1\n');
  assert.deepEqual(errors, []);
  assert.deepEqual(manifest.tags, [
    { tag: 'v1', afterIndex: 0, line: 2 },
    { tag: 'stable', afterIndex: 0, line: 3 },
    { tag: 'v2.0-rc_1', afterIndex: 2, line: 6 },
  ]);
});

test('every problem is reported, each at its own line and column', () => {
  const text = [
    '@early', //            1 misplaced tag
    '0001_a', //            2 ok
    '../etc/passwd', //     3 unsafe
    '0002_b.up.yql', //     4 suffix
    '0001_a', //            5 duplicate
    '@', //                 6 bad tag
    '@v1', //               7 ok
    '0003_c', //            8 ok
    '@v1', //               9 duplicate tag
    'my migration', //      10 space
  ].join('\n');
  assert.deepEqual(errorSummary(text), [
    'MANIFEST_MISPLACED_TAG@1:1',
    'MANIFEST_UNSAFE_NAME@3:1',
    'MANIFEST_BAD_NAME@4:7',
    'MANIFEST_DUPLICATE_NAME@5:1',
    'MANIFEST_BAD_TAG@6:1',
    'MANIFEST_DUPLICATE_TAG@9:1',
    'MANIFEST_BAD_NAME@10:3',
  ]);
  const { manifest, errors } = parse(text);
  assert.ok(errors.every((e) => e.kind === 'input' && e.location?.file === PATH));
  assert.deepEqual(manifest.entries.map((e) => e.name), ['0001_a', '0003_c']);
});

test('a duplicate name says where the first one is', () => {
  const [error] = parse('0001_a\n0002_b\n  0001_a\n').errors;
  assert.equal(error!.code, 'MANIFEST_DUPLICATE_NAME');
  assert.deepEqual(error!.location, { file: PATH, line: 3, column: 3 });
  assert.match(error!.message, /first at sql\/manifest\.txt:1/);
  assert.match(error!.message, /remove one/);
});

test('names that differ only in letter case collide', () => {
  const [error] = parse('add_Users\nADD_users\n').errors;
  assert.equal(error!.code, 'MANIFEST_DUPLICATE_NAME');
  assert.match(error!.message, /only in letter case/);
  assert.match(error!.message, /'add_Users' \(sql\/manifest\.txt:1\)/);
});

test('a duplicate tag says where the first one is', () => {
  const [error] = parse('0001_a\n@v1\n0002_b\n@v1\n').errors;
  assert.equal(error!.code, 'MANIFEST_DUPLICATE_TAG');
  assert.deepEqual(error!.location, { file: PATH, line: 4, column: 1 });
  assert.match(error!.message, /already set at sql\/manifest\.txt:2/);
});

test('a tag before any migration must move below one', () => {
  const [error] = parse('# header\n@v0\n0001_a\n').errors;
  assert.equal(error!.code, 'MANIFEST_MISPLACED_TAG');
  assert.match(error!.message, /move it below the migration/);
});

for (const [tag, why] of [['@', 'empty'], ['@-x', 'leading dash'], ['@v 1', 'space'], ['@v/1', 'slash']] as const) {
  test(`tag '${tag}' is rejected (${why})`, () => {
    const [error] = parse(`0001_a\n${tag}\n`).errors;
    assert.equal(error?.code, 'MANIFEST_BAD_TAG');
    assert.match(error!.message, /e\.g\. @v1\.2/);
  });
}

for (const [name, column, what] of [
  ['../outside', 1, /'\.\.' segment/],
  ['billing/../../x', 9, /'\.\.' segment/],
  ['/etc/x', 1, /absolute path/],
  ['billing\\0003', 8, /backslash/],
  ['C:/migrations/x', 1, /drive letter/],
] as const) {
  test(`unsafe name '${name}' is rejected`, () => {
    const [error] = parse(`${name}\n`).errors;
    assert.equal(error?.code, 'MANIFEST_UNSAFE_NAME');
    assert.equal(error!.location?.column, column);
    assert.match(error!.message, what);
  });
}

for (const [name, column, what] of [
  ['0001_a.up.yql', 7, /write the name without \.up\.yql/],
  ['0001_a.down.yql', 7, /write the name without \.down\.yql/],
  ['0001_a.yql', 7, /write the name without \.yql/],
  ['0001_ä', 6, /"ä" is not allowed/],
  ['0001_a;', 7, /";" is not allowed/],
  ['billing//0001', 9, /empty folder or file name/],
  ['billing/', 9, /empty folder or file name/],
  ['./0001_a', 1, /'\.' segment/],
  ['-1', 1, /starts with '-'/],
  ['head', 1, /reserved/],
  ['base', 1, /reserved/],
] as const) {
  test(`bad name '${name}' is rejected with advice`, () => {
    const [error] = parse(`${name}\n`).errors;
    assert.equal(error?.code, 'MANIFEST_BAD_NAME');
    assert.equal(error!.location?.column, column);
    assert.match(error!.message, what);
  });
}

test('reserved words are fine inside folders and as name parts', () => {
  const { errors, manifest } = parse('base/0001_init\nhead_count\n0002-a.b\n');
  assert.deepEqual(errors, []);
  assert.equal(manifest.entries.length, 3);
});

test('an empty manifest has no entries and no errors', () => {
  assert.deepEqual(parse(''), { manifest: { path: PATH, entries: [], tags: [] }, errors: [] });
  assert.deepEqual(parse('# nothing yet\n\n').errors, []);
});

test('a manifest with merge-conflict markers gets one error saying how to resolve it', () => {
  const text = '0001_a\n<<<<<<< HEAD\n0002_mine\n=======\n0002_theirs\n>>>>>>> other\n';
  const { errors } = parseManifest(text, 'sql/manifest.txt');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.toString(), "sql/manifest.txt:2:1: resolve the conflict in sql/manifest.txt: keep both names, in order (usually yours after the ones already merged), and delete git's <<<<<<< ======= >>>>>>> lines (lines 2-6); a .gitattributes line 'manifest.txt merge=union' avoids most such conflicts [MANIFEST_CONFLICT]");
  assert.equal(parseManifest('0001_a\n# ======= not a marker\n', 'm').errors.length, 0);
});

test('names built from risky pieces are accepted exactly when every rule holds', () => {
  const random = prng(0x6e61_6d65);
  const pieces = ['a', 'Z', '0', '_', '.', '..', '-', '/', '//', '\\', 'C:', ':', '#', ' ', 'é', 'head', 'base', '.yql', '.up.yql', '.down', 'x'.repeat(250)];
  /** The rules of the module comment and nameProblem, written out independently. */
  const acceptable = (name: string) => {
    const segments = name.split('/');
    return (
      /^[A-Za-z0-9_.\-/]+$/.test(name) &&
      !/\.yql$/.test(name) &&
      segments.every((s) => s !== '' && s !== '.' && s !== '..' && s.length <= 255) &&
      !name.startsWith('-') &&
      name !== 'head' &&
      name !== 'base'
    );
  };
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    let name = '';
    for (let n = 1 + int(random, 5); n > 0; n--) name += pick(random, pieces);
    assert.equal(nameProblem(name) === null, acceptable(name), `case ${i}: ${JSON.stringify(name)}`);
    if (acceptable(name)) accepted++;
  }
  // Both outcomes must be common, or the comparison proves little.
  assert.ok(accepted > 300 && accepted < 2700, `${accepted} of 3000 accepted`);
});

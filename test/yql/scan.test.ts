/**
 * The statement scanner against a reference built on the lexer's token list
 * (the way statements were found before the scanner): on random and mutated
 * YQL, both must find the same statements, with the same first token,
 * position, names and kind facts, or fail with the same error at the same place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitStatements } from '../../lib/yql/blocks.js';
import { tokenize, type Token } from '../../lib/yql/lexer.js';
import { StatementScanner } from '../../lib/yql/scan.js';
import { int, pick, prng, type Random } from './random.js';

const CASES = 4000;
const SEED = 0x5ca1_2026;

/** What the scanner tells of a statement, its first token as an object. */
interface Facts {
  first: Token;
  secondWord: string;
  end: number;
  defines: string[];
  reads: string[];
  createTableAs: boolean;
  tokens: Token[] | null;
}

function scanned(text: string): Facts[] {
  const found: Facts[] = [];
  const scanner = new StatementScanner(text, 'p.yql');
  while (scanner.next()) {
    const { firstKind: kind, start, firstEnd: end, line, column } = scanner;
    found.push({
      first: { kind, text: scanner.firstText(), start, end, line, column },
      secondWord: scanner.secondStart === -1 ? '' : text.slice(scanner.secondStart, scanner.secondEnd).toUpperCase(),
      end: scanner.end,
      defines: scanner.defines,
      reads: scanner.reads,
      createTableAs: scanner.createTableAs,
      tokens: scanner.declareTokens,
    });
  }
  return found;
}

/** The reference: the file's token list, cut and read token by token. */
function reference(text: string): Facts[] {
  const found: Facts[] = [];
  let tokens: Token[] = [];
  let braces = 0;
  let outermostBrace: Token | null = null;
  let bodies = 0;
  const flush = (end: number) => {
    if (tokens.length > 0) found.push(factsOf(tokens, end));
    tokens = [];
  };
  for (const token of tokenize(text, 'p.yql')) {
    if (token.kind === 'ws' || token.kind === 'comment') continue;
    if (token.text === ';' && braces === 0 && bodies === 0) {
      flush(token.end);
      continue;
    }
    if (token.text === '{' && braces++ === 0) outermostBrace = token;
    if (token.text === '}') braces = Math.max(0, braces - 1);
    const previous = tokens[tokens.length - 1];
    if (token.kind === 'word' && previous?.kind === 'word') bodies = Math.max(0, bodies + (BODY_STEP[`${upper(previous)} ${upper(token)}`] ?? 0));
    tokens.push(token);
  }
  // A `{` never closed would swallow the rest of the file: an error at that `{`.
  if (braces > 0) throw Object.assign(new Error('unclosed'), { code: 'YQL_UNCLOSED_BRACE', location: { file: 'p.yql', line: outermostBrace!.line, column: outermostBrace!.column } });
  flush(tokens[tokens.length - 1]?.end ?? text.length);
  return found;
}

const BODY_STEP: Record<string, number> = { 'DO BEGIN': 1, 'DEFINE ACTION': 1, 'DEFINE SUBQUERY': 1, 'END DO': -1, 'END DEFINE': -1 };
const upper = (token: Token | undefined) => (token?.kind === 'word' ? token.text.toUpperCase() : '');

function factsOf(tokens: Token[], end: number): Facts {
  const names = (from: number, to = tokens.length) => tokens.slice(from, to).filter((t) => t.kind === 'param').map((t) => t.text.slice(1));
  const assignment = tokens.findIndex((t) => t.kind === 'punct' && t.text === '=');
  const startsWithName = tokens[0]!.kind === 'param';
  const lambdaNames = new Set<string>();
  tokens.forEach((token, arrow) => {
    if (token.text !== '->' || tokens[arrow - 1]?.text !== ')') return;
    let open = arrow - 1;
    for (let depth = 1; open > 0 && depth > 0; ) {
      open--;
      if (tokens[open]!.text === ')') depth++;
      if (tokens[open]!.text === '(') depth--;
    }
    for (const name of names(open, arrow - 1)) lambdaNames.add(name);
  });
  let depth = 0;
  const asOutsideParens = tokens.some((t) => {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    return depth === 0 && upper(t) === 'AS';
  });
  return {
    first: tokens[0]!,
    secondWord: upper(tokens[1]),
    end,
    // With no `=`, every name but a last token's counts as defined.
    defines: startsWithName ? names(0, assignment === -1 ? tokens.length - 1 : assignment) : [],
    reads: [...new Set(names(startsWithName ? assignment + 1 : 0).filter((name) => !lambdaNames.has(name)))],
    createTableAs: upper(tokens[0]) === 'CREATE' && tokens.slice(0, 5).some((t) => upper(t) === 'TABLE') && asOutsideParens,
    tokens: upper(tokens[0]) === 'DECLARE' ? tokens : null,
  };
}

/** Whatever `read` returns, or the code and location of the MigrateError it throws. */
function outcome<T>(read: () => T): T | { code: unknown; location: unknown } {
  try {
    return read();
  } catch (err) {
    const { code, location } = err as { code?: unknown; location?: unknown };
    if (code === undefined) throw err;
    return { code, location };
  }
}

/** Pieces of YQL that move statement boundaries or hide a `;`: strings, comments, names, lambdas, bodies, operators. */
const PIECES = [
  'SELECT', 'select', 'UPSERT', 'INTO', 'OBJECT', 'BATCH', 'UPDATE', 'CREATE', 'create', 'TABLE', 'table', 'AS', 'as', 'DECLARE', 'declare',
  'Int32', 'Optional<Utf8>', 't', '$x', '$y', '$ab_1', '$', '=', '==', '(', ')', '->', '{', '}', 'RETURN', ';', ';', ';', ',', '.', '?',
  'DO', 'do', 'BEGIN', 'END', 'end', 'DEFINE', 'ACTION', 'SUBQUERY', "'a;b'", "'it\\'s;'u", '"c\\";d"', '@@e;@@@@f@@', '@@g@@@', '`h;i`',
  '`j``k`', '`l\\`m`', '-- n;\n', '-- o', '/* p; */', '/**/', '1', '2.5f', '0xFFul', '1e3', 'é', '😀', '\u2028', '|<<', '<|', '::', '!=',
];
const SPACES = ['', ' ', '  ', '\n', '\r\n', '\t', '\f'];
/** What a mutation inserts: openers that may never close, and characters that split tokens. */
const MUTATIONS = ["'", '"', '`', '@@', '/*', '*/', '--', ';', '\\', '{', '}', '$', '\n', '\ud83d', '--!ansi_lexer\n'];

function randomYql(random: Random): string {
  let text = '';
  const pieces = int(random, 40);
  for (let i = 0; i < pieces; i++) text += pick(random, PIECES) + pick(random, SPACES);
  return text;
}

/** Cuts, duplicates or inserts at random places, so that strings and comments open and never close. */
function mutate(random: Random, text: string): string {
  let out = text;
  for (let n = int(random, 4); n > 0; n--) {
    const at = int(random, out.length + 1);
    const roll = int(random, 3);
    if (roll === 0) out = out.slice(0, at);
    else if (roll === 1) out = out.slice(0, at) + out.slice(at, at + int(random, 12)) + out.slice(at);
    else out = out.slice(0, at) + pick(random, MUTATIONS) + out.slice(at);
  }
  return out;
}

test(`${CASES} random and mutated YQL texts: the scanner finds what the token list finds, or the same error`, () => {
  const random = prng(SEED);
  let errors = 0;
  for (let i = 0; i < CASES; i++) {
    const generated = randomYql(random);
    const text = i % 2 === 0 ? generated : mutate(random, generated);
    const expected = outcome(() => reference(text));
    if (!Array.isArray(expected)) errors++;
    assert.deepEqual(outcome(() => scanned(text)), expected, `seed ${SEED} case ${i}: ${JSON.stringify(text)}`);
  }
  // The cases must exercise both outcomes, or the comparison proves little.
  assert.ok(errors > CASES / 20 && errors < CASES / 2, `${errors} of ${CASES} cases failed to lex`);
});

test('the scanner keeps the tokens of a DECLARE only', () => {
  const statements = scanned("SELECT 1;\n  declare $d AS Decimal(22, /* scale */ 9);\n$x = ($y) -> { RETURN $y; };");
  assert.deepEqual(
    statements.map((s) => s.tokens?.map((t) => t.text) ?? null),
    [null, ['declare', '$d', 'AS', 'Decimal', '(', '22', ',', '9', ')'], null],
  );
  assert.deepEqual(statements[1]!.tokens![1], { kind: 'param', text: '$d', start: 20, end: 22, line: 2, column: 11 });
});

test('statements built on the scanner keep every position a user sees in an error', () => {
  const text = "SELECT 'a;\r\nb';\r\n  /* c; */ $x = 1;\n\n\tUPSERT INTO t (k) VALUES ($x); DO BEGIN SELECT 1; END DO";
  assert.deepEqual(
    splitStatements(text.replace(' DO BEGIN SELECT 1; END DO', ''), 'p.yql').map((s) => [s.keyword || s.role, s.line, s.column, s.start, s.text]),
    [
      ['SELECT', 1, 1, 0, "SELECT 'a;\r\nb';"],
      ['expr', 3, 12, 28, '$x = 1;'],
      ['UPSERT', 5, 2, 38, 'UPSERT INTO t (k) VALUES ($x);'],
    ],
  );
  assert.throws(() => splitStatements(text, 'p.yql'), { code: 'YQL_UNKNOWN_STATEMENT', location: { file: 'p.yql', line: 5, column: 33 } });
  // A lexing error later in the file wins over a statement refused before it: the whole file is lexed first.
  assert.throws(() => splitStatements(`${text};\nSELECT "never`, 'p.yql'), { code: 'YQL_UNTERMINATED', location: { file: 'p.yql', line: 6, column: 8 } });
});

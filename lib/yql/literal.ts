/**
 * Typed JS values → YQL literal text, for the offline script in which every
 * parameter is bound in the text itself; and CLI/config strings → those JS
 * values.
 *
 * JS values each type accepts (anything else is LITERAL_INVALID):
 * - Bool: boolean.
 * - Int8..Uint64: bigint, or a number that is a safe integer; range-checked.
 *   Written with YQL's suffixes: `5t` Int8, `5s` Int16, `5` Int32, `5l` Int64,
 *   `5ut` Uint8, `5us` Uint16, `5u` Uint32, `5ul` Uint64. A signed type's
 *   minimum is written `Int64('-9223372036854775808')`, since YQL reads `-N`
 *   as minus applied to N, and N is out of range.
 * - Float, Double: number. Finite values as the shortest decimal that reads
 *   back as the same value (`1.5`, `1.5f`; a Float is first rounded to the
 *   nearest 32-bit float, and one that overflows or underflows to 0 is
 *   refused); NaN, ±Infinity and -0 as `Double('nan')`, `Float('-inf')`,
 *   `Double('-0')`.
 * - String: Uint8Array (bytes), or string (its UTF-8 bytes). Utf8: string.
 *   Json, JsonDocument: string holding valid JSON. Yson: string or Uint8Array
 *   (the YSON itself is checked by YDB, not here). A string must be
 *   well-formed UTF-16: a lone surrogate has no UTF-8 form and is refused.
 * - Date: Date at UTC midnight, or 'YYYY-MM-DD'. Datetime: Date with whole
 *   seconds, or 'YYYY-MM-DDTHH:MM:SS' + 'Z' or '±HH:MM'. Timestamp: Date, or
 *   the same string with up to 6 fractional digits (microseconds are kept).
 *   Range: 1970-01-01 to 2105-12-31, as in YDB. Written in UTC, e.g.
 *   `Timestamp('2024-05-01T10:00:00.000001Z')`.
 * - Interval: bigint microseconds, or an ISO 8601 duration as YDB reads it:
 *   `[-]P[nW][nD][T[nH][nM][n[.ffffff]S]]` (no years or months). At most
 *   136 years either way. Written in YDB's canonical form, e.g. `Interval('P1DT2H')`.
 * - Decimal(p,s): string: digits with an optional sign and fraction, or
 *   'inf', '-inf', 'nan'. At most p-s digits before the point and s after
 *   (trailing zeros aside); nothing is rounded. `Decimal('1.5', 22, 9)`.
 * - Uuid: string, 8-4-4-4-12 hex digits. `Uuid('...')`, lower-cased.
 * - Optional<T>: null or undefined give `Nothing(T?)`; any other value gives
 *   T's literal, which YQL widens to T? where one is expected. Inside a
 *   nested Optional it is wrapped in `Just(...)`, which keeps the depth.
 *
 * String escaping: literals are single-quoted. `'` and `\` are escaped,
 * `\n \r \t` named, every other ASCII control and DEL written `\xHH`. String
 * bytes from a Uint8Array above 0x7F are `\xHH`. Other text keeps its
 * characters as they are (a reviewer reads them), except the ones that show
 * nothing or reorder text (C1 controls, zero-width and bidi controls, odd
 * spaces, private use, noncharacters), written `\uHHHH` / `\UHHHHHHHH`. The
 * same input always gives the same text.
 */
import { MigrateError } from '../errors.js';
import { formatType, type PrimitiveTypeName, type YqlType } from './types.js';
import { invalid } from './literal-error.js';
import { dateDays, datetimeSeconds, formatInterval, formatTimestamp, instantMicros, intervalMicros, isoDate, isoSeconds } from './time-literal.js';

export { formatType, parseType, type PrimitiveTypeName, type YqlType } from './types.js';

/**
 * @example encodeLiteral(parseType('Utf8?'), "it's") // "'it\\'s'u"
 * @example encodeLiteral(parseType('Utf8?'), null)   // 'Nothing(Utf8?)'
 */
export function encodeLiteral(type: YqlType, value: unknown): string {
  if (type.kind === 'optional') {
    if (value === null || value === undefined) return nothing(type);
    const literal = encodeLiteral(type.item, value);
    return type.item.kind === 'optional' ? `Just(${literal})` : literal;
  }
  if (value === null || value === undefined) {
    throw invalid(value, type, `${formatType(type)} is not Optional; declare it as ${formatType(type)}? to allow NULL`);
  }
  if (type.kind === 'decimal') return `Decimal(${quoteText(decimalText(value, type))}, ${type.precision}, ${type.scale})`;
  return PRIMITIVE_LITERALS[type.name](value, type);
}

/**
 * The JS value a CLI or config string gives for `type`, checked as
 * `encodeLiteral` checks it: boolean; number for Int8..Int32, Uint8..Uint32,
 * Float and Double ('nan', 'inf', '-inf' too); bigint for Int64, Uint64 and
 * Interval (microseconds; the text is an ISO 8601 duration); the text for
 * String, Utf8, Json, JsonDocument and Yson; canonical strings for Date
 * ('2024-05-01'), Datetime ('2024-05-01T10:00:00Z'), Timestamp (up to 6
 * fractional digits), Decimal and Uuid. An Optional type takes its item's
 * text (NULL is not spelled in text; the caller passes null).
 *
 * @example parseParamValue(parseType('Int64'), '-5') // -5n
 */
export function parseParamValue(type: YqlType, text: string): unknown {
  try {
    return valueFromText(type, text);
  } catch (err) {
    if (err instanceof MigrateError && err.code === 'LITERAL_INVALID') {
      throw new MigrateError('PARAM_INVALID', err.message, { cause: err });
    }
    throw err;
  }
}

function valueFromText(type: YqlType, text: string): unknown {
  if (type.kind === 'optional') return valueFromText(type.item, text);
  if (type.kind === 'decimal') return decimalText(text, type);
  const name = type.name;
  if (name === 'Bool') {
    if (!/^(true|false)$/i.test(text)) throw invalid(text, type, "write true or false");
    return text.toLowerCase() === 'true';
  }
  if (name in INTEGER_RANGES) {
    if (!/^[+-]?\d+$/.test(text)) throw invalid(text, type, 'write a whole number in decimal digits');
    const value = integerIn(BigInt(text), type);
    return name === 'Int64' || name === 'Uint64' ? value : Number(value);
  }
  if (name === 'Float' || name === 'Double') {
    const value = numberFromText(text);
    if (value === undefined) throw invalid(text, type, "write a decimal number such as 1.5 or 1e-3, or nan, inf, -inf");
    encodeLiteral(type, value);
    return value;
  }
  if (name === 'Interval') return intervalMicros(text, type);
  if (name in CANONICAL_TEXT) return CANONICAL_TEXT[name as keyof typeof CANONICAL_TEXT](text, type);
  encodeLiteral(type, text);
  return text;
}

function numberFromText(text: string): number | undefined {
  if (/^[+-]?(nan|inf)$/i.test(text)) return text.toLowerCase().endsWith('nan') ? NaN : text.startsWith('-') ? -Infinity : Infinity;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : undefined;
}

type Literal = (value: unknown, type: YqlType & { kind: 'primitive' }) => string;

const PRIMITIVE_LITERALS: Readonly<Record<PrimitiveTypeName, Literal>> = {
  Bool: (value, type) => {
    if (typeof value !== 'boolean') throw invalid(value, type, 'expected a boolean');
    return String(value);
  },
  Int8: integerLiteral,
  Int16: integerLiteral,
  Int32: integerLiteral,
  Int64: integerLiteral,
  Uint8: integerLiteral,
  Uint16: integerLiteral,
  Uint32: integerLiteral,
  Uint64: integerLiteral,
  Float: floatLiteral,
  Double: floatLiteral,
  String: (value, type) => (value instanceof Uint8Array ? quoteBytes(value) : quoteText(textValue(value, type))),
  Utf8: (value, type) => `${quoteText(textValue(value, type))}u`,
  Json: (value, type) => `${quoteText(jsonText(value, type))}j`,
  JsonDocument: (value, type) => `JsonDocument(${quoteText(jsonText(value, type))})`,
  Yson: (value, type) => `${value instanceof Uint8Array ? quoteBytes(value) : quoteText(textValue(value, type))}y`,
  Date: constructed,
  Datetime: constructed,
  Timestamp: constructed,
  Interval: (value, type) => `Interval(${quoteText(formatInterval(intervalMicros(value, type)))})`,
  Uuid: constructed,
};

/** `Name('canonical text')`, for the types whose literal is a constructor over their text form. */
function constructed(value: unknown, type: YqlType & { kind: 'primitive' }): string {
  const canonical = CANONICAL_TEXT[type.name as keyof typeof CANONICAL_TEXT];
  return `${type.name}(${quoteText(canonical(value, type))})`;
}

const CANONICAL_TEXT = {
  Date: (value: unknown, type: YqlType) => isoDate(dateDays(value, type)),
  Datetime: (value: unknown, type: YqlType) => `${isoSeconds(datetimeSeconds(value, type))}Z`,
  Timestamp: (value: unknown, type: YqlType) => formatTimestamp(instantMicros(value, type, true)),
  Uuid: (value: unknown, type: YqlType) => uuidText(value, type),
};

// ---- integers --------------------------------------------------------------

const INTEGER_RANGES: Readonly<Record<string, { min: bigint; max: bigint; suffix: string }>> = {
  Int8: { min: -(2n ** 7n), max: 2n ** 7n - 1n, suffix: 't' },
  Int16: { min: -(2n ** 15n), max: 2n ** 15n - 1n, suffix: 's' },
  Int32: { min: -(2n ** 31n), max: 2n ** 31n - 1n, suffix: '' },
  Int64: { min: -(2n ** 63n), max: 2n ** 63n - 1n, suffix: 'l' },
  Uint8: { min: 0n, max: 2n ** 8n - 1n, suffix: 'ut' },
  Uint16: { min: 0n, max: 2n ** 16n - 1n, suffix: 'us' },
  Uint32: { min: 0n, max: 2n ** 32n - 1n, suffix: 'u' },
  Uint64: { min: 0n, max: 2n ** 64n - 1n, suffix: 'ul' },
};

function integerLiteral(value: unknown, type: YqlType & { kind: 'primitive' }): string {
  const { min, suffix } = INTEGER_RANGES[type.name]!;
  const n = integerIn(value, type);
  return n === min && min < 0n ? `${type.name}('${n}')` : `${n}${suffix}`;
}

function integerIn(value: unknown, type: YqlType & { kind: 'primitive' }): bigint {
  const { min, max } = INTEGER_RANGES[type.name]!;
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'number' && Number.isInteger(value)) throw invalid(value, type, 'beyond 2^53 a number has lost digits; pass a bigint');
  else throw invalid(value, type, 'expected a whole number (bigint or integer number)');
  if (n < min || n > max) throw invalid(value, type, `out of range ${min}..${max}`);
  return n;
}

// ---- floating point --------------------------------------------------------

function floatLiteral(value: unknown, type: YqlType & { kind: 'primitive' }): string {
  if (typeof value !== 'number') throw invalid(value, type, 'expected a number');
  const special = Number.isNaN(value) ? 'nan' : value === Infinity ? 'inf' : value === -Infinity ? '-inf' : Object.is(value, -0) ? '-0' : '';
  if (special) return `${type.name}('${special}')`;
  if (type.name === 'Double') return asReal(String(value));
  return `${asReal(shortestFloat32(value, type))}f`;
}

/** The shortest decimal that reads back as the 32-bit float nearest to `value`. */
function shortestFloat32(value: number, type: YqlType): string {
  const float = Math.fround(value);
  if (!Number.isFinite(float)) throw invalid(value, type, 'beyond the Float range of ±3.4028235e38; use Double');
  if (float === 0) throw invalid(value, type, 'too small for Float: it would become 0; use Double');
  for (let digits = 1; ; digits++) {
    const text = String(Number(float.toPrecision(digits)));
    if (Math.fround(Number(text)) === float) return text;
  }
}

/** YQL reads `5` as an integer: a real needs a point or an exponent. */
function asReal(text: string): string {
  return /[.e]/.test(text) ? text : `${text}.0`;
}

// ---- strings ---------------------------------------------------------------

function textValue(value: unknown, type: YqlType): string {
  if (typeof value !== 'string') throw invalid(value, type, 'expected a string');
  // A native scan first; the regular expression only runs to say where the lone surrogate is.
  const lone = isWellFormed(value) ? null : /\p{Cs}/u.exec(value);
  if (lone) throw invalid(value, type, `a lone surrogate (\\u${hex(lone[0].charCodeAt(0), 4)}) at index ${lone.index} is not a character and has no UTF-8 form`);
  return value;
}

/** String.prototype.isWellFormed: in Node 20, but ES2024, newer than the lib tsc compiles against. */
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

function jsonText(value: unknown, type: YqlType): string {
  const text = textValue(value, type);
  try {
    JSON.parse(text);
  } catch (err) {
    throw invalid(value, type, `not valid JSON (${(err as Error).message})`);
  }
  return text;
}

function quoteText(text: string): string {
  // ASCII text (names, checksums, most migrations) in one pass; the first other character hands the whole text to the one expression.
  let escaped = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return `'${text.replace(ESCAPED_IN_TEXT, escapeCodePoint)}'`;
    if (code < 0x20 || code === 0x27 || code === 0x5c || code === 0x7f) {
      escaped += text.slice(copied, i) + asciiInQuotes(code);
      copied = i + 1;
    }
  }
  return `'${copied === 0 ? text : escaped + text.slice(copied)}'`;
}

function escapeCodePoint(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x80) return asciiInQuotes(cp);
  return cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
}

function quoteBytes(bytes: Uint8Array): string {
  let out = "'";
  for (const byte of bytes) out += byte < 0x80 ? asciiInQuotes(byte) : `\\x${hex(byte, 2)}`;
  return `${out}'`;
}

const NAMED_ESCAPES: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x27: "\\'", 0x5c: '\\\\' };

function asciiInQuotes(code: number): string {
  const named = NAMED_ESCAPES[code];
  if (named) return named;
  return code < 0x20 || code === 0x7f ? `\\x${hex(code, 2)}` : String.fromCharCode(code);
}

/**
 * Code points that print as nothing, as a look-alike space, or reorder the
 * text around them: a reviewer could not see them, so they are escaped. A
 * fixed list (not Unicode properties), so output does not change with the
 * Node.js version.
 */
const HIDDEN_RANGES: readonly (readonly [number, number])[] = [
  [0x80, 0xa0], // C1 controls, no-break space
  [0xad, 0xad], // soft hyphen
  [0x34f, 0x34f], // combining grapheme joiner
  [0x61c, 0x61c], // Arabic letter mark
  [0x115f, 0x1160], // Hangul fillers
  [0x1680, 0x1680], // Ogham space mark
  [0x180b, 0x180f], // Mongolian free variation selectors, vowel separator
  [0x2000, 0x200f], // spaces, zero-width space/joiners, LRM, RLM
  [0x2028, 0x202f], // line and paragraph separators, bidi embeddings, narrow no-break space
  [0x205f, 0x206f], // medium math space, word joiner, invisible operators, bidi isolates
  [0x3000, 0x3000], // ideographic space
  [0x3164, 0x3164], // Hangul filler
  [0xe000, 0xf8ff], // private use
  [0xfdd0, 0xfdef], // noncharacters
  [0xfeff, 0xfeff], // zero-width no-break space (byte-order mark)
  [0xffa0, 0xffa0], // halfwidth Hangul filler
  [0xfff0, 0xfffb], // specials, interlinear annotation controls
  [0xfffe, 0xffff], // noncharacters
  [0x1bca0, 0x1bca3], // shorthand format controls
  [0x1d173, 0x1d17a], // musical symbol format controls
  [0xe0000, 0xe0fff], // tags, variation selectors supplement
  [0xf0000, 0x10ffff], // supplementary private use
];

/** What `quoteText` escapes: ASCII controls, the quote, the backslash, and the hidden code points. One regular expression, so that long texts are copied in runs, not a character at a time. */
const ESCAPED_IN_TEXT = new RegExp(
  `[\\x00-\\x1f'\\\\\\x7f${HIDDEN_RANGES.map(([from, to]) => `\\u{${from.toString(16)}}-\\u{${to.toString(16)}}`).join('')}]`,
  'gu',
);

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

// ---- decimal and uuid ------------------------------------------------------

function decimalText(value: unknown, type: YqlType & { kind: 'decimal' }): string {
  if (typeof value !== 'string') throw invalid(value, type, "expected a string such as '12.50'");
  if (/^[+-]?(inf|nan)$/i.test(value)) return value.toLowerCase().replace(/^\+/, '');
  const match = /^([+-])?(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw invalid(value, type, "write digits with an optional sign and fraction, such as '-12.50', or inf, -inf, nan");
  const [, sign, whole, fraction] = match as unknown as [string, string | undefined, string, string | undefined];
  const integerDigits = whole.replace(/^0+(?=\d)/, '');
  const fractionDigits = (fraction ?? '').replace(/0+$/, '');
  const room = type.precision - type.scale;
  if (integerDigits !== '0' && integerDigits.length > room) throw invalid(value, type, `more than ${room} digits before the point`);
  if (fractionDigits.length > type.scale) throw invalid(value, type, `more than ${type.scale} digits after the point; round it yourself`);
  const magnitude = fractionDigits ? `${integerDigits}.${fractionDigits}` : integerDigits;
  return sign === '-' && /[1-9]/.test(magnitude) ? `-${magnitude}` : magnitude;
}

function uuidText(value: unknown, type: YqlType): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw invalid(value, type, "write 8-4-4-4-12 hex digits, such as '550e8400-e29b-41d4-a716-446655440000'");
  }
  return value.toLowerCase();
}

// ---- shared ----------------------------------------------------------------

function nothing(type: YqlType & { kind: 'optional' }): string {
  // `Utf8?` reads as a type inside an expression, but `Decimal(22,9)?` would read as a call.
  return type.item.kind === 'primitive' ? `Nothing(${formatType(type)})` : `Nothing(Optional<${formatType(type.item)}>)`;
}

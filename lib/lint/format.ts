/** Lint findings as text (compiler style), and as SARIF 2.1.0 for GitHub code scanning. */
import { formatLocation } from '../errors.js';
import type { Finding, RuleInfo, Severity } from './types.js';

/** `file:line:col: severity: message [RULE-ID]`, then the fix, indented. */
export function formatFinding(f: Finding): string {
  return `${formatLocation(f.location)}: ${f.severity}: ${f.message} [${f.rule}]\n  fix: ${f.fix}`;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

const SARIF_LEVEL: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', info: 'note' };

/** A SARIF 2.1.0 log with one run; paths are made '/'-separated URIs relative to the working directory. */
export function toSarif(findings: readonly Finding[], rules: readonly RuleInfo[], toolVersion: string): object {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ydb-migrate',
            version: toolVersion,
            informationUri: 'https://github.com/ydb-migrate/ydb-migrate#lint',
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.summary },
              help: { text: r.fix },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: `${f.message}. Fix: ${f.fix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.location.file.split('\\').join('/') },
                region: { startLine: f.location.line, startColumn: f.location.column },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** Handlebars templates from templates/, compiled once per process, never HTML-escaped (we write YQL). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Handlebars from 'handlebars';
import { TEMPLATES_DIR } from './package-info.js';

// Loaded on first use, not at import: only `create` and `sql --format parts` (its run.sh) render templates, and handlebars is
// about a third of the code the CLI would otherwise load on every start.
const requireFromHere = createRequire(import.meta.url);
let handlebars: typeof Handlebars | null = null;
const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function renderTemplate(name: string, context: object): string {
  let template = compiled.get(name);
  if (!template) {
    handlebars ??= (requireFromHere('handlebars') as typeof Handlebars).create();
    const source = readFileSync(join(TEMPLATES_DIR, name), 'utf8');
    template = handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(context);
}

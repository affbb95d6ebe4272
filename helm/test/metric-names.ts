// The metric names and labels the components register (read from their prom-client constructors), and the names and
// labels a PromQL expression uses, for the monitoring test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@fraud-operator/stack/env';

export const COMPONENTS = ['operator', 'scorer-image', 'api-image', 'archiver-image'] as const;

export interface Registered {
  /** Name as registered (a histogram's base name). */
  name: string;
  type: 'Counter' | 'Gauge' | 'Histogram' | 'Summary';
  labels: string[];
  /** The series names it exposes (a histogram's _bucket, _sum and _count). */
  series: string[];
  file: string;
}

const CONSTRUCTOR = /new (Counter|Gauge|Histogram|Summary)\(\{/g;

/** String elements of an array literal body, with `...CONST` spread from the file's `const CONST = [...]`. */
function labelList(body: string, consts: Map<string, string[]>, where: string): string[] {
  return body
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .flatMap((item) => {
      const quoted = item.match(/^'([^']+)'$/);
      if (quoted) return [quoted[1] as string];
      const spread = consts.get(item.replace(/^\.\.\./, ''));
      if (spread) return spread;
      throw new Error(`${where}: cannot read the label list item ${item}`);
    });
}

/** Every metric a component's non-test source registers; throws when a constructor is not in a shape it can read. */
export function registeredMetrics(component: string): Registered[] {
  const dir = join(REPO_ROOT, component, 'src');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
  );
  const out: Registered[] = [];
  for (const f of files) {
    const file = `${component}/src/${f}`;
    const text = readFileSync(join(dir, f), 'utf8');
    const consts = new Map<string, string[]>();
    for (const m of text.matchAll(/const (\w+) = \[([^\]]*)\](?: as const)?;/g))
      if (/^\s*'/.test(m[2] ?? '')) consts.set(m[1] as string, labelList(m[2] as string, consts, file));
    const defaults = [...text.matchAll(/setDefaultLabels\(\{([^}]*)\}/g)].flatMap((m) =>
      [...(m[1] ?? '').matchAll(/(\w+):/g)].map((k) => k[1] as string),
    );
    for (const m of text.matchAll(CONSTRUCTOR)) {
      const type = m[1] as Registered['type'];
      // The options object: up to the first `})` after the constructor (no nested object literals in these files).
      const body = text.slice((m.index ?? 0) + m[0].length, text.indexOf('})', m.index));
      const name = body.match(/name: '([a-zA-Z_:][a-zA-Z0-9_:]*)'/)?.[1];
      if (!name) throw new Error(`${file}: a new ${type}({…}) whose name is not a string literal`);
      const labelsBody = body.match(/labelNames: \[([^\]]*)\]/)?.[1];
      const labelsConst = body.match(/labelNames: (\w+)\b/)?.[1];
      const labels = [
        ...defaults,
        ...(labelsBody !== undefined
          ? labelList(labelsBody, consts, `${file} ${name}`)
          : labelsConst
            ? (consts.get(labelsConst) ??
              (() => {
                throw new Error(`${file} ${name}: labelNames ${labelsConst} is not a const array of this file`);
              })())
            : []),
      ];
      const histogram = type === 'Histogram';
      out.push({
        name,
        type,
        labels: histogram ? [...labels, 'le'] : type === 'Summary' ? [...labels, 'quantile'] : labels,
        series:
          histogram || type === 'Summary'
            ? [`${name}_sum`, `${name}_count`, ...(histogram ? [`${name}_bucket`] : [name])]
            : [name],
        file,
      });
    }
  }
  return out;
}

/** How many prom-client constructors a component's source holds (the parser must read every one). */
export function constructorCount(component: string): number {
  const dir = join(REPO_ROOT, component, 'src');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .reduce((n, f) => n + [...readFileSync(join(dir, f), 'utf8').matchAll(CONSTRUCTOR)].length, 0);
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'inf', 'nan']);

/** Grafana's variables replaced by values PromQL accepts, so a dashboard query parses as plain PromQL. */
export const substituteGrafanaVariables = (expr: string): string =>
  expr.replace(/\$__(rate_)?interval|\$__range/g, '5m').replace(/\$\{?(\w+)\}?/g, '.*');

/** The metric names and label names an expression refers to. */
export function promqlNames(expr: string): { metrics: string[]; labels: string[] } {
  const labels = new Set<string>();
  let rest = substituteGrafanaVariables(expr).replace(/"(?:[^"\\]|\\.)*"/g, '""');
  rest = rest.replace(/\{([^}]*)\}/g, (_, inner: string) => {
    for (const m of inner.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) labels.add(m[1] as string);
    return ' ';
  });
  rest = rest.replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, inner: string) => {
    for (const l of inner.split(',').map((s) => s.trim())) if (l) labels.add(l);
    return ' ';
  });
  rest = rest.replace(/\[[^\]]*\]/g, ' ').replace(/\boffset\s+\d+[smhdwy]/g, ' ');
  const metrics = new Set<string>();
  for (const m of rest.matchAll(/(?<![\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])(\s*\()?/g)) {
    const name = m[1] as string;
    if (m[2] !== undefined || KEYWORDS.has(name.toLowerCase())) continue;
    metrics.add(name);
  }
  return { metrics: [...metrics].sort(), labels: [...labels].sort() };
}

/**
 * Turns the CRD's structural OpenAPI schema into TypeScript interfaces, so the types can never drift from
 * crds/fraudmodels.yaml: `types.generated.ts` is this function's output, and a unit test regenerates and compares.
 */
export interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  nullable?: boolean;
  additionalProperties?: JsonSchema | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

const pascal = (parts: string[]): string =>
  parts.map((p) => (p.length === 0 ? '' : p[0]!.toUpperCase() + p.slice(1))).join('');

const doc = (text: string | undefined, indent: string): string => {
  if (!text) return '';
  const clean = text.trim().replace(/\*\//g, '*\\/').replace(/\s+/g, ' ');
  return `${indent}/** ${clean} */\n`;
};

/** Emits one interface per object in the schema, named by its path (FraudModelSpecKafkaTopics, …). */
export function schemaToTypeScript(root: JsonSchema, rootName: string, header: string): string {
  const out: string[] = [];
  const typeOf = (s: JsonSchema, path: string[]): string => {
    let t: string;
    if (s.enum) t = s.enum.map((v) => JSON.stringify(v)).join(' | ');
    else if (s.type === 'object' && s.properties) t = emit(s, path);
    else if (s.type === 'object' && typeof s.additionalProperties === 'object')
      t = `Record<string, ${typeOf(s.additionalProperties, [...path, 'value'])}>`;
    else if (s.type === 'object') t = 'Record<string, unknown>';
    else if (s.type === 'array') {
      const item = typeOf(s.items ?? {}, [...path, 'item']);
      t = /[|<]/.test(item) ? `Array<${item}>` : `${item}[]`;
    } else if (s.type === 'integer' || s.type === 'number') t = 'number';
    else if (s.type === 'string') t = 'string';
    else if (s.type === 'boolean') t = 'boolean';
    else throw new Error(`schema at ${path.join('.')}: unsupported type ${JSON.stringify(s.type)}`);
    return s.nullable ? `${t} | null` : t;
  };
  const emit = (s: JsonSchema, path: string[]): string => {
    const name = pascal(path);
    const required = new Set(s.required ?? []);
    const fields = Object.entries(s.properties ?? {}).map(([key, child]) => {
      const t = key === 'metadata' && path.length === 1 ? 'V1ObjectMeta' : typeOf(child, [...path, key]);
      return `${doc(child.description, '  ')}  ${key}${required.has(key) ? '' : '?'}: ${t};`;
    });
    out.push(`${doc(s.description, '')}export interface ${name} {\n${fields.join('\n')}\n}\n`);
    return name;
  };
  emit(root, [rootName]);
  return `${header}import type { V1ObjectMeta } from '@kubernetes/client-node';\n\n${out.reverse().join('\n')}`;
}

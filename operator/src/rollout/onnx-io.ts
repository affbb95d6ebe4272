/** A graph input or output of an ONNX model: its name and its dimensions (a number, a symbolic name, or null). */
export interface OnnxValue {
  name: string;
  dims: (number | string | null)[];
}

interface Field {
  no: number;
  wire: number;
  value: number | Uint8Array;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let i = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (i >= buf.length) throw new Error('ONNX: truncated varint');
      const byte = buf[i++] as number;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('ONNX: varint too long');
    }
  };
  while (i < buf.length) {
    const key = varint();
    const wire = key % 8;
    const no = Math.floor(key / 8);
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 2) {
      const len = varint();
      if (i + len > buf.length) throw new Error(`ONNX: field ${no} runs past the end`);
      yield { no, wire, value: buf.subarray(i, i + len) };
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`ONNX: unsupported wire type ${wire}`);
  }
}

const text = (v: Uint8Array): string => new TextDecoder().decode(v);
const sub = (buf: Uint8Array, no: number): Uint8Array[] =>
  [...fields(buf)].filter((f) => f.no === no && f.wire === 2).map((f) => f.value as Uint8Array);

function valueInfo(buf: Uint8Array): OnnxValue {
  const name = sub(buf, 1).map(text)[0] ?? '';
  const dims: (number | string | null)[] = [];
  // ValueInfoProto.type(2) → TypeProto.tensor_type(1) → shape(2) → dim(1) → dim_value(1) | dim_param(2)
  for (const type of sub(buf, 2))
    for (const tensor of sub(type, 1))
      for (const shape of sub(tensor, 2))
        for (const dim of sub(shape, 1)) {
          let value: number | string | null = null;
          for (const f of fields(dim)) {
            if (f.no === 1 && f.wire === 0) value = f.value as number;
            if (f.no === 2 && f.wire === 2) value = text(f.value as Uint8Array);
          }
          dims.push(value);
        }
  return { name, dims };
}

/** Reads the graph's inputs and outputs from ONNX ModelProto bytes (ModelProto.graph = 7; inputs 11, outputs 12). */
export function onnxInputsOutputs(bytes: Uint8Array): { inputs: OnnxValue[]; outputs: OnnxValue[] } {
  const graph = sub(bytes, 7)[0];
  if (!graph) throw new Error('ONNX: no graph in the model');
  return { inputs: sub(graph, 11).map(valueInfo), outputs: sub(graph, 12).map(valueInfo) };
}

/**
 * The model's contract against its card: an input of the card's name whose last dimension is the feature count,
 * and a `probabilities` output (what the scorer reads). Null when it holds, else why not.
 */
export function contractMismatch(
  io: { inputs: OnnxValue[]; outputs: OnnxValue[] },
  card: { inputName: string; featureCount: number },
): string | null {
  const input = io.inputs.find((v) => v.name === card.inputName);
  if (!input) return `no input named ${card.inputName} (inputs: ${io.inputs.map((v) => v.name).join(', ') || 'none'})`;
  const width = input.dims.at(-1);
  if (typeof width === 'number' && width !== card.featureCount)
    return `input ${card.inputName} takes ${width} features; the feature schema (spec.model.featureCount) has ${card.featureCount}`;
  if (!io.outputs.some((v) => v.name === 'probabilities'))
    return `no output named probabilities (outputs: ${io.outputs.map((v) => v.name).join(', ') || 'none'})`;
  return null;
}

import * as ort from 'onnxruntime-node';

/** What a model card promises about the ONNX graph: one float input [N, width] and a `probabilities` output. */
export interface ExpectedSchema {
  inputName: string;
  width: number;
  outputName: string;
}

/** The graph's inputs and outputs, as onnxruntime reports them. */
export interface ModelSignature {
  inputs: { name: string; type?: string; shape?: readonly (number | string)[] }[];
  outputs: string[];
}

/** Pure: why a model does not fit the feature schema, or undefined when it does. */
export function schemaMismatch(sig: ModelSignature, want: ExpectedSchema): string | undefined {
  if (sig.inputs.length !== 1)
    return `the model has ${sig.inputs.length} inputs (${sig.inputs.map((i) => i.name).join(', ')}); the feature schema has one, "${want.inputName}"`;
  const input = sig.inputs[0]!;
  if (input.name !== want.inputName)
    return `the model's input is "${input.name}"; the feature schema's is "${want.inputName}"`;
  if (input.type !== undefined && input.type !== 'float32')
    return `the model's input "${input.name}" is ${input.type}; the feature schema's is float32`;
  const width = input.shape?.[1];
  if (input.shape !== undefined && input.shape.length !== 2)
    return `the model's input "${input.name}" has ${input.shape.length} dimensions; the feature schema's has 2 [N, ${want.width}]`;
  if (typeof width !== 'number')
    return `the model's input "${input.name}" has no fixed width; the feature schema has ${want.width} features`;
  if (width !== want.width) return `the model takes ${width} features; the feature schema has ${want.width}`;
  if (!sig.outputs.includes(want.outputName))
    return `the model has no "${want.outputName}" output (outputs: ${sig.outputs.join(', ')})`;
  return undefined;
}

export function readSignature(session: ort.InferenceSession): ModelSignature {
  return {
    inputs: session.inputMetadata.map((m) => {
      const t = m as { name: string; isTensor?: boolean; type?: string; shape?: readonly (number | string)[] };
      return { name: t.name, ...(t.type ? { type: t.type } : {}), ...(t.shape ? { shape: t.shape } : {}) };
    }),
    outputs: [...session.outputNames],
  };
}

/** Opens an ONNX model and refuses it, before any scoring, when it does not fit the feature schema. */
export async function openCheckedModel(onnx: Uint8Array, want: ExpectedSchema): Promise<ort.InferenceSession> {
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 2 });
  const why = schemaMismatch(readSignature(session), want);
  if (why) {
    await session.release();
    throw new Error(`model refused: ${why}`);
  }
  return session;
}

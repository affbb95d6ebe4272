import { describe, expect, it } from 'vitest';
// The scorer's hand-built ONNX model: a real ModelProto to read, built by the tests' own fixture.
import { tinyModelBytes } from '../../../scorer-image/test/fixtures/tiny-model.ts';
import { contractMismatch, onnxInputsOutputs } from './onnx-io.ts';

describe('ONNX inputs and outputs', () => {
  const weights = [0.1, 0.2, 0.3, 0.4];
  const io = onnxInputsOutputs(tinyModelBytes({ weights, bias: 0 }));

  it('reads the graph input with its feature width and the probabilities output', () => {
    expect(io.inputs.map((v) => v.name)).toContain('input');
    expect(io.inputs.find((v) => v.name === 'input')?.dims.at(-1)).toBe(weights.length);
    expect(io.outputs.map((v) => v.name)).toContain('probabilities');
  });

  it.each([
    ['a matching card', { inputName: 'input', featureCount: 4 }, null],
    ['another feature count', { inputName: 'input', featureCount: 15 }, /takes 4 features.*has 15/],
    ['another input name', { inputName: 'features', featureCount: 4 }, /no input named features/],
  ])('%s', (_name, card, expected) => {
    const result = contractMismatch(io, card);
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatch(expected);
  });

  it('refuses bytes that are not a model', () => {
    expect(() => onnxInputsOutputs(new Uint8Array([0x3a, 0x05, 1, 2]))).toThrow(/ONNX/);
    expect(() => onnxInputsOutputs(new Uint8Array([8, 1]))).toThrow(/no graph/);
  });
});

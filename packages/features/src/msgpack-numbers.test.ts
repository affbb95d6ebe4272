import { describe, expect, it } from 'vitest';
import { readNumberArrays } from './msgpack-numbers.ts';

const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());
const be = (n: number, size: number, set: (v: DataView) => void) => {
  const b = new Uint8Array(size);
  set(new DataView(b.buffer));
  return [...b].slice(0, n);
};

describe('readNumberArrays', () => {
  it('reads every integer and float encoding MessagePack has, in rows', () => {
    const row = bytes(
      [0xdc, 0x00, 0x0c], // array16 of 12
      [0x05], // positive fixint
      [0xff], // negative fixint -1
      [0xcc, 0xc8], // uint8 200
      [0xcd, 0x30, 0x39], // uint16 12345
      be(5, 5, (v) => {
        v.setUint8(0, 0xce);
        v.setUint32(1, 4_000_000_000);
      }),
      be(9, 9, (v) => {
        v.setUint8(0, 0xcf);
        v.setBigUint64(1, 1_767_225_600_000n);
      }),
      [0xd0, 0x80], // int8 -128
      [0xd1, 0x80, 0x00], // int16 -32768
      be(5, 5, (v) => {
        v.setUint8(0, 0xd2);
        v.setInt32(1, -100_000);
      }),
      be(9, 9, (v) => {
        v.setUint8(0, 0xd3);
        v.setBigInt64(1, -4_503_599_627_370_496n);
      }),
      be(5, 5, (v) => {
        v.setUint8(0, 0xca);
        v.setFloat32(1, 0.5);
      }),
      be(9, 9, (v) => {
        v.setUint8(0, 0xcb);
        v.setFloat64(1, 0.1);
      }),
    );
    expect([...readNumberArrays(bytes([...row], [...row]), 2, 12)]).toEqual(
      [
        5, -1, 200, 12345, 4_000_000_000, 1_767_225_600_000, -128, -32768, -100_000, -4_503_599_627_370_496, 0.5, 0.1,
      ].concat([
        5, -1, 200, 12345, 4_000_000_000, 1_767_225_600_000, -128, -32768, -100_000, -4_503_599_627_370_496, 0.5, 0.1,
      ]),
    );
  });

  it('pads a shorter array with zeros and cuts a longer one', () => {
    expect([...readNumberArrays(bytes([0x92, 1, 2], [0x94, 3, 4, 5, 6]), 2, 3)]).toEqual([1, 2, 0, 3, 4, 5]);
  });

  it('refuses what is not an array of numbers, a truncated record and bytes left over, naming the position', () => {
    expect(() => readNumberArrays(bytes([0x92, 1, 0xa1]), 1, 2)).toThrow(/not a number \(0xa1\) at byte 2 of 3/);
    expect(() => readNumberArrays(bytes([0x81, 1, 2]), 1, 2)).toThrow(/not an array \(0x81\) at byte 0/);
    expect(() => readNumberArrays(bytes([0x92, 1, 0xcd, 0x01]), 1, 2)).toThrow(/truncated record at byte 2 of 4/);
    expect(() => readNumberArrays(bytes([0x92, 1]), 1, 2)).toThrow(/truncated record at byte 2 of 2/);
    expect(() => readNumberArrays(bytes([0x91, 1, 7]), 1, 2)).toThrow(/1 bytes after 1 records/);
  });
});

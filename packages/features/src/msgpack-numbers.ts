type Reader = readonly [bytes: number, read: (view: DataView, at: number) => number];

/** MessagePack's integer and float encodings, by their first byte (big-endian payloads). */
const READERS: (Reader | undefined)[] = [];
READERS[0xcc] = [1, (v, at) => v.getUint8(at)];
READERS[0xcd] = [2, (v, at) => v.getUint16(at)];
READERS[0xce] = [4, (v, at) => v.getUint32(at)];
READERS[0xcf] = [8, (v, at) => Number(v.getBigUint64(at))];
READERS[0xd0] = [1, (v, at) => v.getInt8(at)];
READERS[0xd1] = [2, (v, at) => v.getInt16(at)];
READERS[0xd2] = [4, (v, at) => v.getInt32(at)];
READERS[0xd3] = [8, (v, at) => Number(v.getBigInt64(at))];
READERS[0xca] = [4, (v, at) => v.getFloat32(at)];
READERS[0xcb] = [8, (v, at) => v.getFloat64(at)];

/**
 * Pure: reads `count` MessagePack arrays of numbers laid end to end (what Redis's `cmsgpack.pack` makes of a Lua array
 * of numbers) into rows of `width` doubles: a shorter array (a record of an older layout) is padded with zeros, a
 * longer one cut. Anything but an array of numbers, or bytes left over, is an error naming the byte position.
 */
export function readNumberArrays(bytes: Uint8Array, count: number, width: number): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count * width);
  let at = 0;
  const fail = (what: string): never => {
    throw new RangeError(`msgpack: ${what} at byte ${at} of ${bytes.byteLength}`);
  };
  const need = (n: number) => {
    if (at + n > bytes.byteLength) fail('truncated record');
  };
  for (let row = 0; row < count; row++) {
    need(1);
    const head = bytes[at]!;
    let length: number;
    if (head >= 0x90 && head <= 0x9f) {
      length = head - 0x90;
      at += 1;
    } else if (head === 0xdc) {
      need(3);
      length = view.getUint16(at + 1);
      at += 3;
    } else if (head === 0xdd) {
      need(5);
      length = view.getUint32(at + 1);
      at += 5;
    } else return fail(`not an array (0x${head.toString(16)})`);
    for (let k = 0; k < length; k++) {
      need(1);
      const b = bytes[at]!;
      let v: number;
      let size = 1;
      if (b <= 0x7f) v = b;
      else if (b >= 0xe0) v = b - 0x100;
      else {
        const reader = READERS[b];
        if (reader === undefined) return fail(`not a number (0x${b.toString(16)})`);
        size = 1 + reader[0];
        need(size);
        v = reader[1](view, at + 1);
      }
      if (k < width) out[row * width + k] = v;
      at += size;
    }
  }
  if (at !== bytes.byteLength) fail(`${bytes.byteLength - at} bytes after ${count} records`);
  return out;
}

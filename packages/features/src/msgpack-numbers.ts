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
        switch (b) {
          case 0xcc:
            size = 2;
            need(size);
            v = view.getUint8(at + 1);
            break;
          case 0xcd:
            size = 3;
            need(size);
            v = view.getUint16(at + 1);
            break;
          case 0xce:
            size = 5;
            need(size);
            v = view.getUint32(at + 1);
            break;
          case 0xcf:
            size = 9;
            need(size);
            v = Number(view.getBigUint64(at + 1));
            break;
          case 0xd0:
            size = 2;
            need(size);
            v = view.getInt8(at + 1);
            break;
          case 0xd1:
            size = 3;
            need(size);
            v = view.getInt16(at + 1);
            break;
          case 0xd2:
            size = 5;
            need(size);
            v = view.getInt32(at + 1);
            break;
          case 0xd3:
            size = 9;
            need(size);
            v = Number(view.getBigInt64(at + 1));
            break;
          case 0xca:
            size = 5;
            need(size);
            v = view.getFloat32(at + 1);
            break;
          case 0xcb:
            size = 9;
            need(size);
            v = view.getFloat64(at + 1);
            break;
          default:
            return fail(`not a number (0x${b.toString(16)})`);
        }
      }
      if (k < width) out[row * width + k] = v;
      at += size;
    }
  }
  if (at !== bytes.byteLength) fail(`${bytes.byteLength - at} bytes after ${count} records`);
  return out;
}

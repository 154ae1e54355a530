import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

/**
 * Writer and reader of NumPy `.npy` files (format version 1.0) for 1-D
 * little-endian arrays, the format `numpy.load` reads without extra packages.
 */
export type NpyType = '<i4' | '<i8' | '<f4';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00]);
// A fixed header size lets the writer stream data first and fill in the shape at the end.
const HEADER_BYTES = 128;

const itemBytes: Record<NpyType, number> = { '<i4': 4, '<i8': 8, '<f4': 4 };

/** Streams values into a 1-D `.npy` file; `finish` writes the header with the final length. */
export class NpyWriter {
  private readonly fd: number;
  private position = HEADER_BYTES;
  private length = 0;

  constructor(
    readonly path: string,
    readonly type: NpyType,
  ) {
    this.fd = openSync(path, 'w');
  }

  write(values: Int32Array | BigInt64Array | Float32Array): void {
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    writeSync(this.fd, bytes, 0, bytes.length, this.position);
    this.position += bytes.length;
    this.length += values.length;
  }

  finish(): number {
    writeSync(this.fd, npyHeader(this.type, this.length), 0, HEADER_BYTES, 0);
    closeSync(this.fd);
    return this.length;
  }
}

function npyHeader(type: NpyType, length: number): Buffer {
  const dict = `{'descr': '${type}', 'fortran_order': False, 'shape': (${length},), }`;
  const header = Buffer.alloc(HEADER_BYTES, 0x20);
  MAGIC.copy(header, 0);
  header.writeUInt16LE(HEADER_BYTES - 10, 8);
  header.write(dict, 10, 'latin1');
  header[HEADER_BYTES - 1] = 0x0a;
  return header;
}

/** Read a 1-D `.npy` file of one of the supported types. */
export function readNpy(path: string): Int32Array | BigInt64Array | Float32Array {
  const file = readFileSync(path);
  if (!file.subarray(0, 6).equals(MAGIC.subarray(0, 6)))
    throw new Error(`${path} is not a .npy file`);
  const headerLength = file.readUInt16LE(8);
  const header = file.subarray(10, 10 + headerLength).toString('latin1');
  const type = /'descr': '([^']+)'/.exec(header)?.[1] as NpyType | undefined;
  if (!type || !(type in itemBytes)) throw new Error(`${path} has an unsupported dtype ${type}`);

  const data = file.subarray(10 + headerLength);
  const copy = new Uint8Array(data).buffer;
  if (type === '<i4') return new Int32Array(copy);
  if (type === '<i8') return new BigInt64Array(copy);
  return new Float32Array(copy);
}

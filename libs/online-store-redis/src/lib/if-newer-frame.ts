/**
 * The rows of one if-newer script call, packed into one binary argument (read by WRITE_IF_NEWER_SCRIPT with
 * Redis' bundled `struct` library). One argument instead of three per row: building and writing hundreds of
 * command arguments was most of the client's cost of a bulk write.
 *
 * Layout, big-endian, per hash in the call's KEYS order: uint16 the number of its fields, then per field
 * uint16 the name's byte length, the name (UTF-8), float64 the event time in epoch ms, uint32 the value's
 * byte length, the value.
 */

/** One field of a hash: the view's name, its event time (epoch ms, an integer) and its encoded value. */
export interface FrameField {
  readonly field: string;
  readonly eventTimeMs: number;
  readonly value: Buffer;
}

const MAX_FIELDS = 0xffff;
const MAX_NAME_BYTES = 0xffff;

/** UTF-8 bytes of field names, kept per name: a catalog has a handful of views. */
const names = new Map<string, Buffer>();
function nameBytes(field: string): Buffer {
  let bytes = names.get(field);
  if (bytes === undefined) {
    bytes = Buffer.from(field, 'utf8');
    if (bytes.length > MAX_NAME_BYTES) throw new RangeError(`field name of ${bytes.length} bytes`);
    if (names.size < 1_000) names.set(field, bytes);
  }
  return bytes;
}

/** Packs the fields of each hash (`hashes[k]` for KEYS[k]) as the script reads them. */
export function packIfNewerFrame(hashes: readonly (readonly FrameField[])[]): Buffer {
  let size = 0;
  for (const fields of hashes) {
    if (fields.length > MAX_FIELDS) throw new RangeError(`${fields.length} fields in one hash`);
    size += 2;
    for (const f of fields) size += 2 + nameBytes(f.field).length + 8 + 4 + f.value.length;
  }
  const frame = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const fields of hashes) {
    pos = frame.writeUInt16BE(fields.length, pos);
    for (const f of fields) {
      const name = nameBytes(f.field);
      pos = frame.writeUInt16BE(name.length, pos);
      pos += name.copy(frame, pos);
      pos = frame.writeDoubleBE(f.eventTimeMs, pos);
      pos = frame.writeUInt32BE(f.value.length, pos);
      pos += f.value.copy(frame, pos);
    }
  }
  return frame;
}

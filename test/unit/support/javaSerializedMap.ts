/**
 * Writes a java.util.HashMap<byte[], byte[]> the way Java's ObjectOutputStream does (the shape of a standalone
 * worker's offsets file), for unit tests that need files a real worker cannot easily be made to write (deleted
 * offsets, keys that are not JSON). Checked against a file a real connect-standalone wrote: for the same entries
 * it writes the same bytes (javaSerialized.test.ts).
 */

/** The serialVersionUIDs of java.util.HashMap and byte[] (as in any JDK). */
const HASHMAP_UID = Buffer.from("0507dac1c31660d1", "hex");
const BYTE_ARRAY_UID = Buffer.from("acf317f8060854e0", "hex");

export function javaSerializedMap(
    entries: readonly (readonly [Uint8Array | string | null, Uint8Array | string | null])[],
    className = "java.util.HashMap",
): Buffer {
    const parts: Buffer[] = [Buffer.from("aced0005", "hex"), Buffer.from([0x73, 0x72]), utf(className)];
    parts.push(HASHMAP_UID, Buffer.from([0x03]), u16(2));
    parts.push(Buffer.from("F"), utf("loadFactor"), Buffer.from("I"), utf("threshold"), Buffer.from([0x78, 0x70]));
    const capacity = Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(1, entries.length / 0.75))));
    parts.push(Buffer.from("3f400000", "hex"), i32(capacity * 0.75));
    parts.push(Buffer.from([0x77, 0x08]), i32(capacity), i32(entries.length));
    // Handles: 0 the HashMap class, 1 the map, 2 the byte[] class once written, then one per array.
    let byteArrayClassWritten = false;
    const array = (value: Uint8Array | string | null): Buffer => {
        if (value === null) {
            return Buffer.from([0x70]);
        }
        const bytes = Buffer.from(value);
        const desc = byteArrayClassWritten
            ? Buffer.from("71007e0002", "hex")
            : Buffer.concat([Buffer.from([0x72]), utf("[B"), BYTE_ARRAY_UID, Buffer.from("0200007870", "hex")]);
        byteArrayClassWritten = true;
        return Buffer.concat([Buffer.from([0x75]), desc, i32(bytes.length), bytes]);
    };
    for (const [key, value] of entries) {
        parts.push(array(key), array(value));
    }
    parts.push(Buffer.from([0x78]));
    return Buffer.concat(parts);
}

function utf(text: string): Buffer {
    const bytes = Buffer.from(text, "utf8");
    return Buffer.concat([u16(bytes.length), bytes]);
}

function u16(value: number): Buffer {
    const buffer = Buffer.alloc(2);
    buffer.writeUInt16BE(value);
    return buffer;
}

function i32(value: number): Buffer {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32BE(value);
    return buffer;
}

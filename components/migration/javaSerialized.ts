/**
 * Reads the one Java-serialized shape a standalone Kafka Connect worker writes to its offsets file
 * (`offset.storage.file.filename`): an `ObjectOutputStream` holding a `java.util.HashMap<byte[], byte[]>`
 * (Kafka's FileOffsetBackingStore). Only what that shape needs of the Java Object Serialization Stream
 * Protocol is read: the HashMap's class description and fields, its size from the block data its writeObject
 * adds, and each key and value as a byte array (new, a back reference to an earlier class description, or
 * null). Anything else is an error, never a guess. Pure: no Pulumi, no I/O.
 */
import { connectClusterError, ConnectClusterError } from "../errors";

/** One entry of the map: null where Java wrote null (a value of null is a deleted offset). */
export interface SerializedEntry {
    readonly key: Uint8Array | null;
    readonly value: Uint8Array | null;
}

const MAGIC = 0xaced;
const VERSION = 5;
const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_OBJECT = 0x73;
const TC_ARRAY = 0x75;
const TC_ENDBLOCKDATA = 0x78;
const TC_BLOCKDATA = 0x77;
const TC_BLOCKDATALONG = 0x7a;
const BASE_HANDLE = 0x7e0000;
const SC_WRITE_METHOD = 0x01;
const PRIMITIVE_SIZES: Readonly<Record<string, number>> = { B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1 };

interface ClassDesc {
    readonly name: string;
    readonly flags: number;
    readonly fieldTypes: readonly string[];
}

/** Reads a serialized HashMap<byte[], byte[]>; `what` names the file in error messages. */
export function readSerializedByteArrayMap(bytes: Uint8Array, what: string): SerializedEntry[] {
    return new StreamReader(bytes, what).readByteArrayMap();
}

class StreamReader {
    private position = 0;
    /** Every handle assigned so far, in order (class descriptions and arrays are all this shape has). */
    private readonly handles: (ClassDesc | Uint8Array | "map")[] = [];
    private readonly view: DataView;

    constructor(
        private readonly bytes: Uint8Array,
        private readonly what: string,
    ) {
        this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }

    readByteArrayMap(): SerializedEntry[] {
        if (this.bytes.length < 4 || this.view.getUint16(0) !== MAGIC || this.view.getUint16(2) !== VERSION) {
            const start = Buffer.from(this.bytes.subarray(0, 4)).toString("hex") || "nothing";
            throw this.error(
                `is not a Java-serialized file (connect-standalone's offsets file starts with aced0005, this one ` +
                    `with ${start})`,
            );
        }
        this.position = 4;
        this.expect(TC_OBJECT, "the map object");
        const desc = this.readClassDesc();
        if (desc.name !== "java.util.HashMap") {
            throw this.error(`holds a ${desc.name}, not the java.util.HashMap connect-standalone writes`);
        }
        this.handles.push("map");
        for (const type of desc.fieldTypes) {
            const size = PRIMITIVE_SIZES[type];
            if (size === undefined) {
                throw this.corrupt(`a java.util.HashMap field of type ${type}`);
            }
            this.take(size);
        }
        if ((desc.flags & SC_WRITE_METHOD) === 0) {
            throw this.corrupt("a java.util.HashMap written without its writeObject data");
        }
        const block = this.readBlockData();
        if (block.length < 8) {
            throw this.corrupt(`${block.length} bytes of HashMap block data (8 expected: capacity and size)`);
        }
        const size = new DataView(block.buffer, block.byteOffset, block.byteLength).getInt32(4);
        if (size < 0) {
            throw this.corrupt(`a HashMap size of ${size}`);
        }
        const entries: SerializedEntry[] = [];
        for (let i = 0; i < size; i++) {
            entries.push({ key: this.readByteArrayOrNull(), value: this.readByteArrayOrNull() });
        }
        this.expect(TC_ENDBLOCKDATA, "the end of the map");
        return entries;
    }

    private readByteArrayOrNull(): Uint8Array | null {
        const tag = this.byte("a map entry");
        if (tag === TC_NULL) {
            return null;
        }
        if (tag === TC_REFERENCE) {
            const target = this.reference();
            if (target instanceof Uint8Array) {
                return target;
            }
            throw this.corrupt("a map entry referring to something other than a byte array");
        }
        if (tag !== TC_ARRAY) {
            throw this.corrupt(`tag 0x${tag.toString(16)} where a byte array was expected`);
        }
        const desc = this.readClassDescOrReference();
        if (desc.name !== "[B") {
            throw this.error(`holds a ${desc.name} where connect-standalone writes byte arrays ([B)`);
        }
        const handle = this.handles.length;
        this.handles.push(new Uint8Array(0));
        const length = this.int32("a byte array's length");
        if (length < 0) {
            throw this.corrupt(`a byte array of length ${length}`);
        }
        const array = this.take(length);
        this.handles[handle] = array;
        return array;
    }

    private readClassDescOrReference(): ClassDesc {
        const tag = this.byte("a class description");
        if (tag === TC_REFERENCE) {
            const target = this.reference();
            if (target instanceof Uint8Array || target === "map") {
                throw this.corrupt("a class reference to an object");
            }
            return target;
        }
        this.position--;
        return this.readClassDesc();
    }

    private readClassDesc(): ClassDesc {
        this.expect(TC_CLASSDESC, "a class description");
        const name = this.utf("a class name");
        this.take(8, `class ${name}'s serialVersionUID`);
        const flags = this.byte("class flags");
        const handle = this.handles.length;
        this.handles.push({ name, flags, fieldTypes: [] });
        const count = this.uint16("a field count");
        const fieldTypes: string[] = [];
        for (let i = 0; i < count; i++) {
            const type = String.fromCharCode(this.byte("a field type"));
            this.utf("a field name");
            if (!(type in PRIMITIVE_SIZES)) {
                throw this.corrupt(`an object field in class ${name}`);
            }
            fieldTypes.push(type);
        }
        this.expect(TC_ENDBLOCKDATA, `the end of class ${name}'s annotations`);
        this.expect(TC_NULL, `class ${name}'s superclass (none expected)`);
        const desc = { name, flags, fieldTypes };
        this.handles[handle] = desc;
        return desc;
    }

    private readBlockData(): Uint8Array {
        const tag = this.byte("block data");
        if (tag === TC_BLOCKDATA) {
            return this.take(this.byte("a block length"));
        }
        if (tag === TC_BLOCKDATALONG) {
            return this.take(this.int32("a block length"));
        }
        throw this.corrupt(`tag 0x${tag.toString(16)} where the HashMap's block data was expected`);
    }

    private reference(): ClassDesc | Uint8Array | "map" {
        const handle = this.int32("a reference") - BASE_HANDLE;
        const target = this.handles[handle];
        if (target === undefined) {
            throw this.corrupt(`a reference to handle ${handle}, which does not exist`);
        }
        return target;
    }

    private expect(tag: number, what: string): void {
        const found = this.byte(what);
        if (found !== tag) {
            throw this.corrupt(`tag 0x${found.toString(16)} where ${what} was expected`);
        }
    }

    private utf(what: string): string {
        return Buffer.from(this.take(this.uint16(what), what)).toString("utf8");
    }

    private byte(what: string): number {
        return this.take(1, what)[0];
    }

    private uint16(what: string): number {
        this.take(2, what);
        return this.view.getUint16(this.position - 2);
    }

    private int32(what: string): number {
        this.take(4, what);
        return this.view.getInt32(this.position - 4);
    }

    private take(length: number, what = "data"): Uint8Array {
        if (this.position + length > this.bytes.length) {
            throw this.error(
                `ends after ${this.bytes.length} bytes, in the middle of ${what}: it is truncated (copy it again ` +
                    `from the stopped standalone worker)`,
            );
        }
        this.position += length;
        return this.bytes.subarray(this.position - length, this.position);
    }

    private corrupt(found: string): ConnectClusterError {
        return this.error(`is corrupt at byte ${this.position}: found ${found}`);
    }

    private error(message: string): ConnectClusterError {
        return connectClusterError("invalid-input", `${this.what} ${message}`);
    }
}

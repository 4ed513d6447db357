import Foundation

/// A statement parameter, always sent bound and in PostgreSQL's binary format: values are never
/// spliced into SQL text.
enum PostgresValue {
    case text(String)
    case bytes(Data)
    case int64(Int64)
    /// `text[]`; nil elements are SQL NULL.
    case textArray([String?])
    /// `bytea[]`
    case bytesArray([Data])
    /// `int8[]`
    case int64Array([Int64])

    /// PostgreSQL's type ids of the element types (`pg_type.oid`), fixed since forever.
    private enum ElementType: Int32 {
        case bytea = 17
        case int8 = 20
        case text = 25
    }

    /// Appends the binary wire form of the value.
    func encode(into buffer: inout [UInt8]) {
        switch self {
        case .text(let value): buffer.append(contentsOf: value.utf8)
        case .bytes(let value): buffer.append(contentsOf: value)
        case .int64(let value): Self.append(value, to: &buffer)
        case .textArray(let values):
            Self.appendArray(values, type: .text, to: &buffer) { value, buffer in buffer.append(contentsOf: value.utf8)
            }
        case .bytesArray(let values):
            Self.appendArray(values, type: .bytea, to: &buffer) { value, buffer in buffer.append(contentsOf: value) }
        case .int64Array(let values):
            Self.appendArray(values, type: .int8, to: &buffer) { value, buffer in Self.append(value, to: &buffer) }
        }
    }

    /// A one-dimensional array: dimensions, a has-nulls flag, the element type, then each element
    /// as a 4-byte length (-1 for NULL) and its bytes.
    private static func appendArray<Element>(
        _ values: [Element?], type: ElementType, to buffer: inout [UInt8],
        element: (Element, inout [UInt8]) -> Void
    ) {
        append(Int32(values.isEmpty ? 0 : 1), to: &buffer)
        append(Int32(values.contains { $0 == nil } ? 1 : 0), to: &buffer)
        append(type.rawValue, to: &buffer)
        if !values.isEmpty {
            append(Int32(values.count), to: &buffer)
            append(Int32(1), to: &buffer)
        }
        for value in values {
            guard let value else {
                append(Int32(-1), to: &buffer)
                continue
            }
            let lengthAt = buffer.count
            append(Int32(0), to: &buffer)
            element(value, &buffer)
            let length = Int32(buffer.count - lengthAt - 4).bigEndian
            withUnsafeBytes(of: length) { bytes in
                for (offset, byte) in bytes.enumerated() { buffer[lengthAt + offset] = byte }
            }
        }
    }

    private static func appendArray<Element>(
        _ values: [Element], type: ElementType, to buffer: inout [UInt8], element: (Element, inout [UInt8]) -> Void
    ) {
        appendArray(values.map { Optional($0) }, type: type, to: &buffer, element: element)
    }

    private static func append<Integer: FixedWidthInteger>(_ value: Integer, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }
}

/// Rows in the binary `COPY … FROM STDIN (FORMAT binary)` format: the bulk-load path, which
/// PostgreSQL parses faster than any INSERT. Used once the rows are known to be new.
struct CopyRows {
    /// The signature `PGCOPY\n\377\r\n\0`, then 4 bytes of flags and 4 of header extension, all 0.
    private var bytes: [UInt8] =
        [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00] + [UInt8](repeating: 0, count: 8)

    init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Starts a row of `fields` fields.
    mutating func row(fields: Int16) { append(fields) }

    mutating func int64(_ value: Int64) {
        append(Int32(8))
        append(value)
    }

    mutating func text(_ value: String?) {
        guard var text = value else { return append(Int32(-1)) }
        text.withUTF8 { field(UnsafeRawBufferPointer($0)) }
    }

    mutating func bytes(_ value: some Collection<UInt8>) {
        append(Int32(value.count))
        bytes.append(contentsOf: value)
    }

    /// Ends the data (a field count of -1) and returns all of it.
    consuming func finish() -> [UInt8] {
        append(Int16(-1))
        return bytes
    }

    private mutating func field(_ value: UnsafeRawBufferPointer) {
        append(Int32(value.count))
        bytes.append(contentsOf: value)
    }

    private mutating func append<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}

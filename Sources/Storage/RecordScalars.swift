import Foundation

/// A type the compact record format writes and reads as one scalar value, without an encoder
/// or decoder of its own (see ``RecordEncoder``).
protocol CompactScalar {
    func writeCompact(into storage: CompactStorage) throws
    static func readCompact(_ value: CompactValue) throws -> Self
}

extension String: CompactScalar {
    func writeCompact(into storage: CompactStorage) { storage.write(self) }
    static func readCompact(_ value: CompactValue) throws -> String { try value.string() }
}

extension Bool: CompactScalar {
    func writeCompact(into storage: CompactStorage) { storage.write(self) }
    static func readCompact(_ value: CompactValue) throws -> Bool { try value.bool() }
}

extension Double: CompactScalar {
    func writeCompact(into storage: CompactStorage) throws { try storage.write(self) }
    static func readCompact(_ value: CompactValue) throws -> Double { try value.double() }
}

extension Float: CompactScalar {
    func writeCompact(into storage: CompactStorage) throws { try storage.write(Double(self)) }
    static func readCompact(_ value: CompactValue) throws -> Float { try value.float() }
}

extension Data: CompactScalar {
    func writeCompact(into storage: CompactStorage) { storage.write(self) }
    static func readCompact(_ value: CompactValue) throws -> Data { try value.data() }
}

/// Signed integers: written zig-zag, read from either integer tag when the value fits.
protocol CompactSignedScalar: CompactScalar, FixedWidthInteger, SignedInteger {}

extension CompactSignedScalar {
    func writeCompact(into storage: CompactStorage) { storage.write(signed: Int64(self)) }
    static func readCompact(_ value: CompactValue) throws -> Self { try value.integer(Self.self) }
}

/// Unsigned integers: written as LEB128, read from either integer tag when the value fits.
protocol CompactUnsignedScalar: CompactScalar, FixedWidthInteger, UnsignedInteger {}

extension CompactUnsignedScalar {
    func writeCompact(into storage: CompactStorage) { storage.write(unsigned: UInt64(self)) }
    static func readCompact(_ value: CompactValue) throws -> Self { try value.integer(Self.self) }
}

extension Int: CompactSignedScalar {}
extension Int8: CompactSignedScalar {}
extension Int16: CompactSignedScalar {}
extension Int32: CompactSignedScalar {}
extension Int64: CompactSignedScalar {}
extension UInt: CompactUnsignedScalar {}
extension UInt8: CompactUnsignedScalar {}
extension UInt16: CompactUnsignedScalar {}
extension UInt32: CompactUnsignedScalar {}
extension UInt64: CompactUnsignedScalar {}

import Foundation

/// A record's index keys as bytes, for backends that store them beside the record (so that a
/// later write knows which index rows to remove).
///
/// The encoding is `name NUL value NUL …`, sorted by name. Names and values never hold NUL
/// (``StorageLimits`` refuses it), so it is unambiguous, and equal dictionaries give equal bytes.
package enum IndexKeysEncoding {
    /// The bytes of `indexes`.
    package static func encode(_ indexes: [String: String]) -> Data {
        var data = Data()
        for (name, value) in indexes.sorted(by: { $0.key < $1.key }) {
            data.append(contentsOf: name.utf8)
            data.append(0)
            data.append(contentsOf: value.utf8)
            data.append(0)
        }
        return data
    }

    /// The index keys in `data`, as written by ``encode(_:)``. Bytes that end without a value
    /// are ignored.
    package static func decode(_ data: Data) -> [String: String] {
        let parts = data.split(separator: 0, omittingEmptySubsequences: false).dropLast()
        var result: [String: String] = [:]
        var iterator = parts.makeIterator()
        while let name = iterator.next(), let value = iterator.next() {
            result[String(decoding: name, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
        }
        return result
    }
}

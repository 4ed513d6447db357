import CommunityModel
import Foundation

/// The CSV reader the import uses: any bytes as a file a school exported.
///
/// Properties: reading throws a typed `CSVError` or gives records; the records, written again
/// by RFC 4180 (every field quoted where it must be, CRLF after each record) and read again,
/// are the same fields on the same lines; no field is longer than the limit.
enum CSVReaderHarness {
    static let target = FuzzTarget(
        name: "csv-reader",
        summary: "any bytes as a CSV file: records or a typed error; written again and read back, the same records"
    ) { bytes throws(PropertyViolation) in
        var input = FuzzInput(bytes)
        let limit = input.bool() ? 16 + Int(input.byte()) : CSVReader.defaultMaximumFieldBytes
        let records: [CSVReader.Record]
        do { records = try read(Data(input.rest), limit: limit) } catch { return }
        for record in records {
            for field in record.fields {
                try expect(field.utf8.count <= limit, "line \(record.line) has a field of \(field.utf8.count) bytes")
            }
        }
        let written = records.map { $0.fields.map(CSV.number).joined(separator: ",") + "\r\n" }.joined()
        let again: [CSVReader.Record]
        do { again = try read(Data(written.utf8), limit: .max) } catch {
            throw PropertyViolation("the records written again do not read: \(error)\n\(written.debugDescription)")
        }
        try expect(again == records, "written again and read back, \(records) became \(again)")
    }

    static func read(_ data: Data, limit: Int) throws(CSVError) -> [CSVReader.Record] {
        var reader = CSVReader(data: data, maximumFieldBytes: limit)
        var records: [CSVReader.Record] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }
}

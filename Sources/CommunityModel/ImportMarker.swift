import Storage

/// The record that says an import is under way (the `CommunityImport` module writes it when an
/// import begins and deletes it when the import finishes). While it exists, every command is
/// refused: an import loads history into a store that has no live activity, so that log
/// positions follow time.
package struct ImportMarker: Codable, Hashable, Sendable {
    /// The import's name (its `source`).
    package var source: String
    /// When it began.
    package var startedAt: Timestamp

    package init(source: String, startedAt: Timestamp) {
        self.source = source
        self.startedAt = startedAt
    }

    /// The marker's id in ``Collections/importMarker``: there is at most one import at a time.
    package static let id = "current"
}

extension Collections {
    package static let importMarker = RecordCollection<ImportMarker>("import-marker")
}

extension CommunityService {
    /// Refuses a command while an import is under way.
    nonisolated(nonsending) package func refuseDuringImport() async throws(CommunityError) {
        let marker = try await query { try await store.fetch(ImportMarker.id, from: Collections.importMarker) }
        if let marker {
            throw .invalidState(
                "An import (\(marker.value.source)) is loading this community's history; commands are refused "
                    + "until it finishes (CommunityImporter.finish()).")
        }
    }
}

import Foundation
import SluiceStorage
import Synchronization

/// The token endpoint's clients in memory: consumer key → the key's record (SHA-256 of the secret, state, grant
/// types), the hashes of its further secrets and its application, so that checking a client's credentials reads no database.
///
/// Filled from storage on a miss. The key manager drops entries when it changes a key, its secret or its
/// application; changes made by another process (the CLI on the same SQLite file, another control-plane node) are
/// seen once an entry is older than ``maximumAge``. A generation number keeps a slow storage read from putting back
/// an entry that a change dropped meanwhile. The table is bounded: when full it starts again empty.
final class ClientDirectory: Sendable {
    /// One client as the token endpoint needs it.
    struct Entry: Sendable {
        let client: ConsumerKeyRecord
        let application: ApplicationRecord
        /// The key's secrets beyond its own (`generate-secret`), expired ones included (checked at use).
        let secrets: [ConsumerSecretRecord]
        let loadedAt: Date
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var generation: UInt64 = 0
    }

    /// How long an entry is used before storage is read again.
    let maximumAge: TimeInterval
    /// The most clients held.
    let capacity: Int
    private let state = Mutex(State())

    /// Creates an empty directory.
    init(maximumAge: TimeInterval = 5, capacity: Int = 100_000) {
        self.maximumAge = maximumAge
        self.capacity = max(1, capacity)
    }

    /// The entry of `consumerKey`, when held and younger than ``maximumAge`` at `now`.
    func entry(_ consumerKey: String, now: Date) -> Entry? {
        guard let entry = state.withLock({ $0.entries[consumerKey] }) else { return nil }
        let age = now.timeIntervalSince(entry.loadedAt)
        return age >= 0 && age < maximumAge ? entry : nil
    }

    /// The generation to pass to ``store(_:ifUnchangedSince:)`` for an entry about to be read from storage.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// Keeps `entry` unless a change dropped entries since `generation` was read.
    func store(_ entry: Entry, ifUnchangedSince generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity, state.entries[entry.client.consumerKey] == nil {
                state.entries = [:]
            }
            state.entries[entry.client.consumerKey] = entry
        }
    }

    /// Drops the entry of a consumer key (its secret, state or grants changed).
    func invalidate(consumerKey: String) {
        state.withLock { state in
            state.generation += 1
            state.entries[consumerKey] = nil
        }
    }

    /// Drops the entries of an application's keys (the application changed or went).
    func invalidate(applicationID: String) {
        state.withLock { state in
            state.generation += 1
            state.entries = state.entries.filter { $0.value.client.applicationID != applicationID }
        }
    }

    /// Drops every entry.
    func invalidateAll() {
        state.withLock { state in
            state.generation += 1
            state.entries = [:]
        }
    }
}

import ConnectorService
import Foundation
import KuandoSync
import Testing

/// The contract of ``ConfigStore``, run against SQLite and a real PostgreSQL server.
@Suite(.postgresServer)
struct ConfigStoreTests {
    static let alice = UserKey(domain: "example.com", guid: "6f1e80f6-0000-4000-8000-00000000a11c", sip: "alice")

    static var edited: UserConfig {
        var config = UserConfig.defaults
        config.hubUrl = "http://10.0.0.5:8989/"
        config.hubToken = "s3cret-hub-token"
        config.pollIntervalMs = 2500
        config.hubPresenceToPBX = false
        config.lamp[.busy] = LampAppearance(color: .purple, effect: .pulse, sound: 3, volume: 50)
        return config
    }

    @Test(arguments: StoreKind.allCases)
    func firstOpenStoresTheDefaults(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withStore { store async throws in
                #expect(try await store.config(for: Self.alice) == nil)
                #expect(try await store.userCount() == 0)

                #expect(try await store.configOrDefaults(for: Self.alice) == .defaults)
                #expect(try await store.config(for: Self.alice) == .defaults)
                #expect(try await store.userCount() == 1)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func savedConfigReadsBackAndIsNotReplacedByDefaults(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withStore { store async throws in
                _ = try await store.configOrDefaults(for: Self.alice)
                try await store.save(Self.edited, for: Self.alice)

                #expect(try await store.config(for: Self.alice) == Self.edited)
                #expect(try await store.configOrDefaults(for: Self.alice) == Self.edited)
                #expect(try await store.userCount() == 1)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aNewStoreOnTheSameDatabaseReadsWhatWasSaved(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withStore { first async throws in
                try await first.save(Self.edited, for: Self.alice)
            }

            try await database.withStore { second async throws in
                #expect(try await second.config(for: Self.alice) == Self.edited)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentFirstOpensCreateOneRow(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            let stores = [try await database.open(), try await database.open()]
            try await stores[0].whileRunning { () async throws in
                try await stores[1].whileRunning { () async throws in
                    let configs = try await withThrowingTaskGroup(of: UserConfig.self) { group in
                        for index in 0..<16 {
                            let store = stores[index % stores.count]
                            group.addTask { try await store.configOrDefaults(for: Self.alice) }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                    #expect(configs.count == 16)
                    #expect(configs.allSatisfy { $0 == .defaults })
                    #expect(try await database.rawRowCount() == 1)
                }
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func oneUsersSaveNeverChangesAnothers(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withStore { store async throws in
                let sameGuidOtherDomain = UserKey(domain: "other.example", guid: Self.alice.guid, sip: "alice")
                let sameDomainOtherGuid = UserKey(domain: Self.alice.domain, guid: "6f1e80f6-0000-4000-8000-000000000b0b", sip: "bob")
                _ = try await store.configOrDefaults(for: sameDomainOtherGuid)

                try await store.save(Self.edited, for: Self.alice)
                #expect(try await store.config(for: sameGuidOtherDomain) == nil)
                #expect(try await store.config(for: sameDomainOtherGuid) == .defaults)

                var other = UserConfig.defaults
                other.showCallsOnHub = false
                try await store.save(other, for: sameGuidOtherDomain)
                #expect(try await store.config(for: Self.alice) == Self.edited)
                #expect(try await store.config(for: sameGuidOtherDomain) == other)
                #expect(try await store.userCount() == 3)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRenamedUserKeepsTheirConfig(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withStore { store async throws in
                try await store.save(Self.edited, for: Self.alice)
                let renamed = UserKey(domain: Self.alice.domain, guid: Self.alice.guid, sip: "alice.smith")
                #expect(try await store.configOrDefaults(for: renamed) == Self.edited)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anInvalidConfigIsRefusedAndNothingIsStored(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withStore { store async throws in
                try await store.save(Self.edited, for: Self.alice)
                var invalid = Self.edited
                invalid.pollIntervalMs = 1
                let error = await #expect(throws: ConfigStoreError.self) { try await store.save(invalid, for: Self.alice) }
                #expect(error?.description.contains("pollIntervalMs") == true)
                #expect(try await store.config(for: Self.alice) == Self.edited)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func instancePasswordIsGeneratedOnceAndStableAcrossReopen(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            var first = "", generated = ""
            try await database.withStore { store async throws in
                let concurrent = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<8 {
                        group.addTask { try await store.instancePassword(domain: "example.com", generate: { "candidate-\(index)" }) }
                    }
                    return try await group.reduce(into: Set<String>()) { $0.insert($1) }
                }
                #expect(concurrent.count == 1)
                first = try #require(concurrent.first)
                #expect(try await store.instancePassword(domain: "example.com", generate: { "later" }) == first)
                generated = try await store.instancePassword(domain: "other.example")
                #expect(generated != first)
                #expect(generated.count == InstancePassword.length)
            }

            try await database.withStore { reopened async throws in
                #expect(try await reopened.instancePassword(domain: "example.com") == first)
                #expect(try await reopened.instancePassword(domain: "other.example") == generated)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func openingAgainAppliesNoMigrationTwice(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withStore { first async throws in
                try await first.save(Self.edited, for: Self.alice)
            }
            let migrations = try await database.rawMigrations()
            #expect(!migrations.isEmpty)

            for _ in 0..<2 {
                try await database.withStore { again async throws in
                    #expect(try await again.config(for: Self.alice) == Self.edited)
                }
            }
            #expect(try await database.rawMigrations() == migrations)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aDatabaseFromANewerVersionIsRefused(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            _ = try await database.open()
            try await database.recordFutureMigration()
            let error = await #expect(throws: ConfigStoreError.self) { try await database.open() }
            guard case .schemaTooNew = error else {
                Issue.record("expected schemaTooNew, got \(String(describing: error))")
                return
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRowWrittenByAnOlderVersionReadsWithDefaultsForMissingKeys(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            _ = try await database.open()
            try await database.writeRawConfig("""
                {"hubUrl":"http://10.0.0.5:8989/","showCallsOnHub":false,
                 "lamp":{"busy":{"color":"#0000FF","effect":"solid","sound":0,"volume":0,"onTime":5,"offTime":5}}}
                """, for: Self.alice)

            try await database.withStore { store async throws in
                var expected = UserConfig.defaults
                expected.hubUrl = "http://10.0.0.5:8989/"
                expected.showCallsOnHub = false
                expected.lamp[.busy] = LampAppearance(color: LampColor(red: 0, green: 0, blue: 255))
                #expect(try await store.config(for: Self.alice) == expected)
                #expect(try await store.configOrDefaults(for: Self.alice) == expected)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anUnreadableRowFailsClearlyWithoutShowingTheToken(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            _ = try await database.open()
            try await database.writeRawConfig(#"{"hubToken":"TOKEN-NEVER-SHOWN","pollIntervalMs":"fast"}"#, for: Self.alice)

            try await database.withStore { store async throws in
                let error = await #expect(throws: ConfigStoreError.self) { try await store.config(for: Self.alice) }
                let text = error?.description ?? ""
                #expect(text.contains("pollIntervalMs"))
                #expect(text.contains(Self.alice.guid))
                #expect(!text.contains("TOKEN-NEVER-SHOWN"))
            }
        }
    }
}

extension ConfigStoreTests {
    @Test(arguments: StoreKind.allCases)
    func manyUsersOpenInOneBatchAndAnUnreadableRowFailsOnlyItsUser(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            let saved = Self.alice
            let broken = UserKey(domain: "example.com", guid: "6f1e80f6-0000-4000-8000-00000000b40c", sip: "broken")
            let fresh = (0..<300).map { UserKey(domain: $0 % 2 == 0 ? "example.com" : "other.example", guid: "fresh-\($0)", sip: "u\($0)") }
            _ = try await database.open()
            try await database.writeRawConfig(#"{"hubToken":"TOKEN-NEVER-SHOWN","pollIntervalMs":"fast"}"#, for: broken)
            try await database.withStore { store async throws in
                try await store.save(Self.edited, for: saved)
                let configs = try await store.configsOrDefaults(for: [saved, broken] + fresh)
                #expect(configs.count == 302)
                #expect(try configs[saved]?.get() == Self.edited)
                #expect(fresh.allSatisfy { (try? configs[$0]?.get()) == .defaults })
                guard case .failure(let error)? = configs[broken] else {
                    Issue.record("the unreadable row gave \(String(describing: configs[broken]))")
                    return
                }
                #expect(error.description.contains("pollIntervalMs") && !error.description.contains("TOKEN-NEVER-SHOWN"))
                #expect(try await store.userCount() == 302, "the fresh users' defaults are stored")
                #expect(try await store.config(for: fresh[1]) == .defaults)
                // Again: every row is found, none is written twice.
                let again = try await store.configsOrDefaults(for: fresh)
                #expect(again.count == 300)
                #expect(try await store.userCount() == 302)
            }
        }
    }
}

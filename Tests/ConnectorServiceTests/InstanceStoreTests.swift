import ConnectorService
import Foundation
import KuandoSync
import Testing

/// The instances a store keeps, and how processes sharing one take turns at them.
extension ConfigStoreTests {
    @Test(arguments: StoreKind.allCases)
    func instancesAreListedCountedAndRemovedWithTheirUsers(kind: StoreKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withStore { store async throws in
                try await store.setInstancePassword(domain: "b.example", password: "password-of-b-0001")
                _ = try await store.instancePassword(domain: "a.example")
                try await store.setInstancePassword(domain: "b.example", password: "password-of-b-0002")
                _ = try await store.configOrDefaults(for: UserKey(domain: "b.example", guid: "1"))
                _ = try await store.configOrDefaults(for: UserKey(domain: "b.example", guid: "2"))
                _ = try await store.configOrDefaults(for: Self.alice)
                let instances = try await store.instances()
                #expect(instances.map(\.domain) == ["a.example", "b.example"])
                #expect(instances.last?.password == "password-of-b-0002", "a set password replaces the stored one")
                #expect(try await store.userCounts() == ["b.example": 2, "example.com": 1])

                #expect(try await store.removeInstance(domain: "b.example") == 2)
                #expect(try await store.instances().map(\.domain) == ["a.example"])
                #expect(try await store.config(for: UserKey(domain: "b.example", guid: "1")) == nil)
                #expect(try await store.config(for: Self.alice) != nil, "other domains keep their users")
                #expect(try await store.removeInstance(domain: "b.example") == 0)
            }
        }
    }

    @Test func onPostgreSQLEachInstanceHasOneHolderWhoIsNamedToTheOthers() async throws {
        let database = try await TestDatabase.make(.postgres)
        let first = try await database.open()
        let second = try await database.open()
        let one = first.makeClaims(owner: "one")
        let two = second.makeClaims(owner: "two")
        #expect(try await one.claim(["a.example", "b.example"]) == ["a.example": .held, "b.example": .held])
        #expect(
            try await two.claim(["a.example", "b.example", "c.example"])
                == ["a.example": .heldElsewhere(owner: "one"), "b.example": .heldElsewhere(owner: "one"), "c.example": .held])
        #expect(try await one.claim(["a.example"]) == ["a.example": .held], "a holder asking again keeps it")
        let lostOne = await one.check()
        let lostTwo = await two.check()
        #expect(lostOne.isEmpty && lostTwo.isEmpty)
        await one.release("a.example")
        #expect(try await two.claim(["a.example"]) == ["a.example": .held], "a released instance is free for the next")
        await one.releaseAll()
        #expect(try await two.claim(["b.example"]) == ["b.example": .held], "all of a process's claims end with it")
        await two.releaseAll()
    }
}

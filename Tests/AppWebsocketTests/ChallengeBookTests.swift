import Testing
import TestSupport

@testable import AppWebsocket

@Suite struct ChallengeBookTests {
    @Test("challenges are 16 printable characters and differ")
    func challengesAreRandom() {
        let book = ChallengeBook()
        let challenges = (0..<100).map { _ in book.issue() }
        #expect(Set(challenges).count == 100)
        #expect(challenges.allSatisfy { $0.count == 16 && $0.allSatisfy { $0.isHexDigit } })
    }

    @Test("a challenge serves one login: a replay is refused")
    func singleUse() throws {
        let book = ChallengeBook()
        let challenge = book.issue()
        try book.redeem(challenge)
        #expect(throws: ChallengeBook.Refusal.alreadyUsed) { try book.redeem(challenge) }
    }

    @Test("a challenge this service never issued is refused")
    func unknownRefused() {
        let book = ChallengeBook()
        #expect(throws: ChallengeBook.Refusal.unknown) { try book.redeem("0123456789abcdef") }
    }

    @Test("a challenge expires after the book's lifetime")
    func expires() throws {
        let clock = ManualClock()
        let book = ChallengeBook(lifetime: .seconds(30), clock: clock)
        let late = book.issue()
        let inTime = book.issue()
        clock.advance(by: .seconds(29))
        try book.redeem(inTime)
        clock.advance(by: .seconds(2))
        #expect(throws: ChallengeBook.Refusal.expired) { try book.redeem(late) }
    }
}

@Suite struct ChallengeBookCapacityTests {
    @Test("at most `capacity` challenges wait: a flood forgets the oldest, a fresh one still logs in")
    func bounded() throws {
        let clock = ManualClock()
        let book = ChallengeBook(lifetime: .seconds(60), capacity: 100, clock: clock)
        let first = book.issue()
        for _ in 0..<1000 {
            clock.advance(by: .milliseconds(1))
            _ = book.issue()
        }
        #expect(book.outstanding <= 100)
        #expect(throws: ChallengeBook.Refusal.unknown) { try book.redeem(first) }
        let fresh = book.issue()
        try book.redeem(fresh)
    }

    @Test("expired challenges are swept as new ones are issued")
    func sweptOnIssue() {
        let clock = ManualClock()
        let book = ChallengeBook(lifetime: .seconds(1), capacity: 10_000, clock: clock)
        for _ in 0..<300 { _ = book.issue() }
        clock.advance(by: .seconds(5))
        for _ in 0..<300 { _ = book.issue() }
        #expect(book.outstanding <= 300)
    }
}

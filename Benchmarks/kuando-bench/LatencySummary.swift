/// Percentiles of a set of latencies, in microseconds.
struct LatencySummary: Codable, Sendable {
    var count: Int
    var p50Us: Double
    var p99Us: Double
    var maxUs: Double

    /// Summarises `samples`; all zero when there are none.
    init(_ samples: [Duration]) {
        let sorted = samples.map(\.microseconds).sorted()
        count = sorted.count
        func percentile(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((Double(sorted.count) * fraction).rounded(.up)) - 1
            return sorted[min(max(rank, 0), sorted.count - 1)]
        }
        p50Us = percentile(0.50)
        p99Us = percentile(0.99)
        maxUs = sorted.last ?? 0
    }

    init(count: Int, p50Us: Double, p99Us: Double, maxUs: Double) {
        self.count = count
        self.p50Us = p50Us
        self.p99Us = p99Us
        self.maxUs = maxUs
    }

    /// Two one-way legs one after the other, percentile by percentile (an estimate of the path's floor).
    static func + (lhs: LatencySummary, rhs: LatencySummary) -> LatencySummary {
        LatencySummary(count: min(lhs.count, rhs.count), p50Us: lhs.p50Us + rhs.p50Us, p99Us: lhs.p99Us + rhs.p99Us, maxUs: lhs.maxUs + rhs.maxUs)
    }
}

extension Duration {
    var microseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000_000 + Double(attoseconds) / 1_000_000_000_000
    }

    var seconds: Double { microseconds / 1_000_000 }
}

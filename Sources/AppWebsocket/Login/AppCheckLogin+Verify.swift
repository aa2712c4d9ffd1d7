extension AppCheckLogin {
    /// Whether the digest was made with `password`; `serviceDomain` stands in for an absent or
    /// empty `domain`. Compared in constant time.
    public func verify(password: String, serviceDomain: String?) -> Bool {
        let domain = (self.domain ?? "").isEmpty ? serviceDomain ?? "" : self.domain ?? ""
        let expected = LoginDigest.compute(app: app, domain: domain, info: nil, challenge: challenge, password: password)
        return constantTimeEqual(digest, expected)
    }
}

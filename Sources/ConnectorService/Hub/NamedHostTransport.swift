import KuandoHub

/// The direct route to a hub the policy checked: requests go to the checked address, and the
/// `Host` header keeps the name the user configured, so a hub that serves by name (a kuandoHUB
/// bound to `http://busylight-pc:8989/`) still answers.
struct NamedHostTransport: HubTransport {
    let base: any HubTransport
    let host: String

    func send(_ request: HubHTTPRequest) async throws -> HubHTTPResponse {
        var named = request
        named.host = host
        return try await base.send(named)
    }
}

import Foundation

/// libFuzzer entry point for the kuandoHUB decoders: any bytes as a hub's reply (`currentpresence`,
/// `busylightdevices`, an error body) and as a request to the open hub (POST body, GET query).
/// Garbage must end in nil or a `HubRequestError`, never a trap; a request that decoded must
/// survive being written out and decoded again.
@_cdecl("LLVMFuzzerTestOneInput")
public func hubRepliesFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(UnsafeBufferPointer(start: data, count: size))
    if let running = HubRunningCommand(reply: body) {
        _ = running.winner
    }
    _ = HubDevice.devices(reply: body)
    _ = HubReply.errorMessage(in: body)
    if let request = try? HubRequest(postBody: body), let written = request.postBody {
        guard let again = try? HubRequest(postBody: written) else {
            fatalError("a decoded request was written as a body that does not decode: \(String(decoding: written, as: UTF8.self))")
        }
        precondition(again.postBody == written, "writing a request is not stable: \(String(decoding: written, as: UTF8.self))")
    }
    if let query = try? HubRequest(getQuery: String(decoding: body, as: UTF8.self)) {
        _ = query.getQuery
    }
    return 0
}

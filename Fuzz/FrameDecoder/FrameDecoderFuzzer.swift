import Foundation

/// libFuzzer entry point for the AppWebsocket decoder: any bytes as a text frame, through
/// `Frame(parsing:)` and every typed message's field decoding. Malformed input must end in a
/// `FrameError`, never a trap; a frame that parsed must survive being written out and parsed again.
@_cdecl("LLVMFuzzerTestOneInput")
public func frameDecoderFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let frame = try? Frame(parsing: text) else { return 0 }
    let messages: [any AppMessage.Type] = [
        AppChallenge.self, AppChallengeResult.self, AppLogin.self, AppLoginResult.self, AppInfo.self, AppInfoResult.self,
        PbxInfo.self, CheckBuild.self, CheckBuildResult.self, KeepAlive.self, AppCheckLogin.self, AppCheckLoginResult.self,
        RCC.Initialize.self, RCC.InitializeResult.self, RCC.UserInfo.self, RCC.UserInitialize.self, RCC.UserInitializeResult.self,
        RCC.UserEnd.self, RCC.CallInfo.self,
        PbxApi.SubscribePresence.self, PbxApi.SubscribePresenceResult.self, PbxApi.PresenceState.self, PbxApi.PresenceUpdate.self,
        PbxApi.SetPresence.self, PbxApi.SetPresenceResult.self, PbxApi.AddAlienCall.self, PbxApi.AddAlienCallResult.self,
        PbxApi.DelAlienCall.self, PbxApi.DelAlienCallResult.self,
        PbxImpersonation.CreateApi.self, PbxImpersonation.CreateApiResult.self, PbxImpersonation.DeleteApi.self,
        PbxTableUsers.ReplicateStart.self, PbxTableUsers.ReplicateStartResult.self, PbxTableUsers.ReplicateNext.self,
        PbxTableUsers.ReplicateNextResult.self,
    ]
    for message in messages {
        if let decoded = try? message.init(frame: frame) {
            _ = Frame(decoded)
        }
    }
    _ = PhoneInfo.CallEvent(message: frame.object)
    _ = try? PbxTableUsers.RowChange(frame: frame)?.user
    let written = frame.object.text
    if written.utf16.count <= Frame.maximumCharacters {
        guard let again = try? Frame(parsing: written) else {
            fatalError("a parsed frame was written as text that does not parse: \(written)")
        }
        precondition(again.object.text == written, "writing a frame is not stable: \(written) became \(again.object.text)")
    }
    return 0
}

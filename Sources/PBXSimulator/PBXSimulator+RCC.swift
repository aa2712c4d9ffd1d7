import AppWebsocket

extension PBXSimulator {
    /// Answers RCC as a PBX does for an App object connection.
    func handleRCC(_ frame: Frame, on connection: AppWebsocketConnection) async {
        guard configuration.grantedAPIs.contains(RCC.api) else { return await refuseUngranted(frame, on: connection) }
        switch frame.mt {
        case RCC.Initialize.messageType:
            rccInitializeSrc = frame.src
            for user in state.users.values.sorted(by: { $0.sip < $1.sip }) where user.hasApp {
                await reply(user.userInfoFrame(pbx: configuration.pbxName, src: frame.src), on: connection)
            }
            await reply(Frame(RCC.InitializeResult(), src: frame.src), on: connection)
            record { $0.events.append(.rccInitialized) }
        case RCC.UserInitialize.messageType:
            guard let request = try? frame.decode(RCC.UserInitialize.self), let user = user(named: request.cn) else {
                await reply(Frame(RCC.UserInitializeResult(user: nil, error: 1, errorText: "no such user"), src: frame.src), on: connection)
                return
            }
            let handle = nextHandle
            nextHandle += 1
            monitors[handle] = (user.sip, frame.src)
            await reply(userInitializeResult(handle: handle, src: frame.src), on: connection)
            record { $0.events.append(.userMonitored(sip: user.sip, handle: handle)) }
            for call in state.calls.values.sorted(by: { $0.id < $1.id }) where call.user == user.sip && !call.ended {
                await reply(Frame(call.callInfo(handle: handle, msg: "update"), src: frame.src), on: connection)
            }
        case RCC.UserEnd.messageType:
            guard let request = try? frame.decode(RCC.UserEnd.self) else { return }
            monitors[request.user] = nil
            record { $0.events.append(.userMonitoringEnded(handle: request.user)) }
        default:
            break
        }
    }

    /// The user `UserInitialize` names by `cn` (or SIP name); a direct look-up first, as a PBX
    /// with 10,000 users answers thousands of these in a row.
    private func user(named cn: String) -> SimulatedUser? {
        if let user = state.users[cn], user.cn == cn { return user }
        return state.users.values.first { $0.cn == cn || $0.sip == cn }
    }

    /// Sends a `CallInfo` for the call to every monitor of its user.
    func emitCallInfo(_ call: SimulatedCall, msg: String) async {
        for (handle, monitor) in monitors.filter({ $0.value.sip == call.user }).sorted(by: { $0.key < $1.key }) {
            await sendToService(Frame(call.callInfo(handle: handle, msg: msg), src: monitor.src))
        }
    }

    /// Tells RCC monitors (the `Initialize` subscription) that a user appeared, changed or left.
    func emitUserInfo(_ user: SimulatedUser, update: String) async {
        guard let src = rccInitializeSrc, user.hasApp || update == "del" else { return }
        await sendToService(user.userInfoFrame(update: update, pbx: configuration.pbxName, src: src))
    }

    /// `UserInitializeResult` with the dialling prefixes and the other members the SDK lists
    /// (`RCC.htm`, 13r1 and 14r1), which the service does not use.
    private func userInitializeResult(handle: Int, src: String?) -> Frame {
        var fields = Frame(RCC.UserInitializeResult(user: handle)).object
        for (key, value): (String, JSONValue) in [
            ("prefixIntl", "00"), ("prefixNtl", "0"), ("prefixSubs", ""), ("area", "30"), ("country", "49"), ("maxIntern", 4), ("tones", 0),
            ("mobile", ["e164": "", "h323": "", "off": true]),
        ] {
            fields[key] = value
        }
        return Frame(mt: RCC.UserInitializeResult.messageType, api: RCC.api, src: src, fields: fields)
    }

    /// A request on an API the App object does not grant gets an error result.
    func refuseUngranted(_ frame: Frame, on connection: AppWebsocketConnection) async {
        guard !frame.mt.hasSuffix("Result"), !frame.mt.hasSuffix("Info") else { return }
        let text = "API \(frame.api ?? "") is not granted on App object \(mainAppObject.sip)"
        await reply(Frame(mt: frame.mt + "Result", api: frame.api, src: frame.src, fields: ["error": 1, "errorText": .string(text)]), on: connection)
    }
}

import AppWebsocket

extension PBXSimulator {
    /// Answers RCC as a PBX does for an App object connection.
    func handleRCC(_ frame: Frame, on connection: AppWebsocketConnection) async {
        guard configuration.grantedAPIs.contains(RCC.api) else { return await refuseUngranted(frame, on: connection) }
        switch frame.mt {
        case RCC.Initialize.messageType:
            rccInitializeSrc = frame.src
            let users = state.users.values.filter(\.hasApp).sorted { $0.sip < $1.sip }
            guard let pace = configuration.initializePace else {
                await announce(users, src: frame.src, on: connection)
                return
            }
            // A real PBX answers other requests (UserInitialize) while it announces, tick by tick.
            let limit = min((try? frame.decode(RCC.Initialize.self))?.limit ?? pace.users, pace.users)
            announcing = Task { await self.announce(users, src: frame.src, on: connection, perTick: max(limit, 1), tick: pace.tick) }
        case RCC.UserInitialize.messageType:
            guard let request = try? frame.decode(RCC.UserInitialize.self), let user = user(named: request.cn) else {
                await reply(Frame(RCC.UserInitializeResult(user: nil, error: 1, errorText: "no such user"), src: frame.src), on: connection)
                return
            }
            if let left = unansweredUserInitializes[user.sip] {
                unansweredUserInitializes[user.sip] = left > 1 ? left - 1 : nil
                return
            }
            let handle = nextHandle
            nextHandle += 1
            monitors.add(handle: handle, sip: user.sip, src: frame.src)
            await reply(userInitializeResult(handle: handle, src: frame.src), on: connection)
            record { $0.events.append(.userMonitored(sip: user.sip, handle: handle)) }
            for call in state.calls.values.sorted(by: { $0.id < $1.id }) where call.user == user.sip && !call.ended {
                await reply(Frame(call.callInfo(handle: handle, msg: "update"), src: frame.src), on: connection)
            }
        case RCC.UserEnd.messageType:
            guard let request = try? frame.decode(RCC.UserEnd.self) else { return }
            monitors.remove(handle: request.user)
            record { $0.events.append(.userMonitoringEnded(handle: request.user)) }
        default:
            break
        }
    }

    /// Leaves the next `count` `UserInitialize`s for `sip` unanswered, as a PBX busy with a
    /// restart or a flood of requests may: the service has to ask again.
    public func leaveUnanswered(userInitializesOf sip: String, count: Int = 1) {
        unansweredUserInitializes[sip] = count > 0 ? count : nil
    }

    /// The user `UserInitialize` names by `cn` (or SIP name); a direct look-up first, as a PBX
    /// with 10,000 users answers thousands of these in a row.
    private func user(named cn: String) -> SimulatedUser? {
        if let user = state.users[cn], user.cn == cn { return user }
        return state.users.values.first { $0.cn == cn || $0.sip == cn }
    }

    /// Sends a `CallInfo` for the call to every monitor of its user.
    func emitCallInfo(_ call: SimulatedCall, msg: String) async {
        for monitor in monitors.of(call.user) {
            await sendToService(Frame(call.callInfo(handle: monitor.handle, msg: msg), src: monitor.src))
        }
    }

    /// `UserInfo` for each of `users`, then `InitializeResult`; with `perTick`, at most that many
    /// per `tick`, as a real PBX does (`RCC.htm`: at most `limit` ≤ 50 per 20 ms).
    private func announce(
        _ users: [SimulatedUser], src: String?, on connection: AppWebsocketConnection, perTick: Int = .max, tick: Duration = .zero
    ) async {
        let clock = ContinuousClock()
        let start = clock.now
        for (index, user) in users.enumerated() {
            if index > 0, index % perTick == 0 {
                guard (try? await clock.sleep(until: start + tick * (index / perTick), tolerance: nil)) != nil else { return }
            }
            await reply(user.userInfoFrame(pbx: configuration.pbxName, src: src), on: connection)
        }
        await reply(Frame(RCC.InitializeResult(), src: src), on: connection)
        record { $0.events.append(.rccInitialized) }
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

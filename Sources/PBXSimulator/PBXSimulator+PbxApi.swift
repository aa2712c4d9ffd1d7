import AppWebsocket

extension PBXSimulator {
    /// Answers PbxApi (and `PbxApi.N` impersonated APIs) as a PBX does.
    func handlePbxApi(_ frame: Frame, on connection: AppWebsocketConnection) async {
        guard configuration.grantedAPIs.contains(PbxApi.api) else { return await refuseUngranted(frame, on: connection) }
        let api = frame.api ?? PbxApi.api
        let impersonated = impersonations[api]
        switch frame.mt {
        case PbxApi.SubscribePresence.messageType:
            guard let request = try? frame.decode(PbxApi.SubscribePresence.self),
                let user = request.sip.flatMap({ state.users[$0] }) ?? state.users.values.first(where: { $0.sip == request.sip || (request.num != nil && $0.e164 == request.num) })
            else {
                await reply(Frame(PbxApi.SubscribePresenceResult(error: 1, errorText: "no such user"), api: api, src: frame.src), on: connection)
                return
            }
            presenceSubscriptions[user.sip, default: []].append(frame.src)
            await reply(Frame(PbxApi.SubscribePresenceResult(), api: api, src: frame.src), on: connection)
            await reply(Frame(PbxApi.PresenceState(up: true, sip: user.sip, num: user.e164, dn: user.dn, email: user.email), api: api, src: frame.src), on: connection)
            await reply(Frame(PbxApi.PresenceUpdate(presence: state.presence[user.sip] ?? []), api: api, src: frame.src), on: connection)
            record { $0.events.append(.presenceSubscribed(sip: user.sip)) }
        case PbxApi.SetPresence.messageType:
            guard let request = try? frame.decode(PbxApi.SetPresence.self),
                let sip = request.sip ?? impersonated ?? state.users.values.first(where: { $0.guid == request.guid })?.sip,
                state.users[sip] != nil
            else {
                await reply(Frame(PbxApi.SetPresenceResult(error: 1, errorText: "no such user"), api: api, src: frame.src), on: connection)
                return
            }
            let presence = PbxApi.Presence(
                contact: request.contact ?? "tel:", status: "open", activity: request.activity, note: request.note ?? "", displayNote: request.note ?? "", params: [:])
            await reply(Frame(PbxApi.SetPresenceResult(), api: api, src: frame.src), on: connection)
            record { $0.events.append(.presenceSet(sip: sip, presence)) }
            await updatePresence(of: sip, to: presence)
        case PbxApi.AddAlienCall.messageType:
            guard let sip = impersonated ?? frame.object["sip"]?.stringValue, state.users[sip] != nil else {
                let text = "AddAlienCall acts for the connection's user; an App object connection has none: use PbxImpersonation CreateApi"
                await reply(Frame(PbxApi.AddAlienCallResult(id: nil, error: 1, errorText: text), api: api, src: frame.src), on: connection)
                return
            }
            let id = nextAlienCallID
            nextAlienCallID += 1
            record {
                $0.alienCalls[sip, default: []].append(id)
                $0.events.append(.alienCallAdded(sip: sip, id: id))
            }
            await reply(Frame(PbxApi.AddAlienCallResult(id: .int(id)), api: api, src: frame.src), on: connection)
        case PbxApi.DelAlienCall.messageType:
            guard let request = try? frame.decode(PbxApi.DelAlienCall.self), let id = request.id.intValue,
                let sip = state.alienCalls.first(where: { $0.value.contains(id) })?.key
            else {
                await reply(Frame(PbxApi.DelAlienCallResult(error: 1, errorText: "no such alien call"), api: api, src: frame.src), on: connection)
                return
            }
            record {
                $0.alienCalls[sip]?.removeAll { $0 == id }
                $0.events.append(.alienCallRemoved(sip: sip, id: id))
            }
            await reply(Frame(PbxApi.DelAlienCallResult(), api: api, src: frame.src), on: connection)
        default:
            if !frame.mt.hasSuffix("Result") {
                await reply(Frame(mt: frame.mt + "Result", api: api, src: frame.src, fields: ["error": 1, "errorText": "not simulated"]), on: connection)
            }
        }
    }

    /// Answers PbxImpersonation `CreateApi` / `DeleteApi`.
    func handleImpersonation(_ frame: Frame, on connection: AppWebsocketConnection) async {
        guard configuration.grantedAPIs.contains(PbxImpersonation.api) else { return await refuseUngranted(frame, on: connection) }
        switch frame.mt {
        case PbxImpersonation.CreateApi.messageType:
            guard let request = try? frame.decode(PbxImpersonation.CreateApi.self), state.users[request.sip] != nil, request.target == PbxApi.api else {
                await reply(Frame(PbxImpersonation.CreateApiResult(target: nil, error: 1, errorText: "no such user or target"), src: frame.src), on: connection)
                return
            }
            let target = "\(request.target).\(impersonations.count)"
            impersonations[target] = request.sip
            await reply(Frame(PbxImpersonation.CreateApiResult(target: target), src: frame.src), on: connection)
            record { $0.events.append(.impersonationCreated(sip: request.sip, target: target)) }
        case PbxImpersonation.DeleteApi.messageType:
            let target = frame.object["target"]?.stringValue ?? ""
            let existed = impersonations.removeValue(forKey: target) != nil
            await reply(Frame(mt: "DeleteApiResult", api: PbxImpersonation.api, src: frame.src, fields: ["ok": .bool(existed)]), on: connection)
        default:
            break
        }
    }

    /// The user changes their presence in myApps (writes `tel:`), as if they clicked it.
    public func changePresenceManually(of sip: String, activity: String, note: String = "") async throws {
        guard state.users[sip] != nil else { throw PBXSimulatorError.unknownUser(sip) }
        let presence = PbxApi.Presence(contact: "tel:", status: "open", activity: activity, note: note, displayNote: note, params: [:])
        record { $0.events.append(.presenceChangedManually(sip: sip, presence)) }
        await updatePresence(of: sip, to: presence)
    }

    /// Puts the presence first (newest) in the user's list and tells every subscriber.
    private func updatePresence(of sip: String, to presence: PbxApi.Presence) async {
        record { state in
            var list = state.presence[sip] ?? []
            list.removeAll { $0.contact == presence.contact }
            list.insert(presence, at: 0)
            state.presence[sip] = list
        }
        let update = PbxApi.PresenceUpdate(presence: state.presence[sip] ?? [])
        for src in presenceSubscriptions[sip] ?? [] {
            await sendToService(Frame(update, src: src))
        }
    }
}

import AppWebsocket

extension PBXSimulator {
    /// Answers PbxTableUsers replication: one `ReplicateNextResult` per user, then one without
    /// `columns`; later user changes go out as `ReplicateAdd` / `Update` / `Del`.
    func handleTableUsers(_ frame: Frame, on connection: AppWebsocketConnection) async {
        guard configuration.grantedAPIs.contains(PbxTableUsers.api) else { return await refuseUngranted(frame, on: connection) }
        switch frame.mt {
        case PbxTableUsers.ReplicateStart.messageType:
            guard let request = try? frame.decode(PbxTableUsers.ReplicateStart.self) else { return }
            replicationSrc = frame.src
            replicationColumns = request.columns.keys
            replicationQueue = state.users.values.sorted { $0.sip < $1.sip }
            replicationDone = false
            await reply(Frame(PbxTableUsers.ReplicateStartResult(columns: request.columns, guid: "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e", usn: .int(usn)), src: frame.src), on: connection)
            record { $0.events.append(.replicationStarted) }
        case PbxTableUsers.ReplicateNext.messageType:
            if replicationQueue.isEmpty {
                replicationDone = true
                await reply(Frame(PbxTableUsers.ReplicateNextResult(columns: nil, usn: .int(usn)), src: frame.src), on: connection)
            } else {
                let user = replicationQueue.removeFirst()
                await reply(Frame(PbxTableUsers.ReplicateNextResult(columns: selectedColumns(of: user), usn: .int(usn)), src: frame.src), on: connection)
            }
        default:
            break
        }
    }

    private func selectedColumns(of user: SimulatedUser) -> JSONObject {
        let all = user.columns
        guard !replicationColumns.isEmpty else { return all }
        return JSONObject(replicationColumns.compactMap { key in all[key].map { (key, $0) } })
    }

    /// Adds a user object, as an admin would; replication and RCC subscribers are told.
    public func addUser(_ user: SimulatedUser) async {
        record {
            $0.users[user.sip] = user
            $0.presence[user.sip] = SimulatedUser.initialPresence
        }
        await emitRowChange(.add, user)
        await emitUserInfo(user, update: "")
    }

    /// Changes a user object; replication and RCC subscribers are told.
    public func updateUser(_ user: SimulatedUser) async throws {
        guard state.users[user.sip] != nil else { throw PBXSimulatorError.unknownUser(user.sip) }
        record { $0.users[user.sip] = user }
        await emitRowChange(.update, user)
        await emitUserInfo(user, update: "")
    }

    /// Deletes a user object; replication and RCC subscribers are told.
    public func removeUser(_ sip: String) async throws {
        guard let user = state.users[sip] else { throw PBXSimulatorError.unknownUser(sip) }
        record {
            $0.users[sip] = nil
            $0.presence[sip] = nil
        }
        await emitRowChange(.del, user)
        await emitUserInfo(user, update: "del")
    }

    private func emitRowChange(_ kind: PbxTableUsers.RowChange.Kind, _ user: SimulatedUser) async {
        guard replicationDone, let src = replicationSrc else { return }
        usn += 1
        await sendToService(PbxTableUsers.RowChange(kind: kind, columns: selectedColumns(of: user)).frame(src: src))
    }
}

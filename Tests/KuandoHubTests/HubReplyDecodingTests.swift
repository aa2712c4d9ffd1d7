import Busylight
import Foundation
import KuandoHub
import KuandoSync
import Testing

@Suite struct CurrentPresenceDecodingTests {
    private func read(_ text: String) -> HubRunningCommand? {
        HubRunningCommand(reply: Data(text.utf8))
    }

    @Test func readsTheOpenHubsOwnReplyBack() throws {
        let running = HubRunningCommand(
            sender: "MS Teams", eventType: "Presence", eventName: "Busy", action: "Light",
            parameter: ["RedRgbValue": 100, "GreenRgbValue": 0, "BlueRgbValue": 0])
        let decoded = try #require(HubRunningCommand(reply: running.replyBody))
        #expect(decoded == running)
        #expect(decoded.winner == HubWinner(sender: "MS Teams", eventType: "Presence", eventName: "Busy"))
        #expect(decoded.color == BusylightColor(red: 100, green: 0, blue: 0))
    }

    @Test func nothingRunningReadsAsNone() throws {
        #expect(try #require(HubRunningCommand(reply: HubRunningCommand.none.replyBody)).winner.isNone)
        #expect(read(#"{"runningcommand":null}"#) == HubRunningCommand.none)
        #expect(read(#"{"runningcommand":{"parameter":null}}"#)?.winner.isNone == true)
        #expect(read("") == HubRunningCommand.none)
        #expect(read(" \r\n\t") == HubRunningCommand.none)
        #expect(read("\u{00A0}\u{2028} \n") == HubRunningCommand.none, "Unicode white space is blank too")
        #expect(read("\u{00A0}é") == nil)
        #expect(read(#"{"somethingelse":1}"#) == nil)
    }

    /// The Stream Deck plugin's reading: parameter a JSON string with lower-case action and colours.
    @Test func readsParameterAsAJSONStringWithLowerCaseColours() throws {
        let running = try #require(read(#"""
            {"runningcommand":{"sender":"HTTP","parameter":"{\"action\":\"pulse\",\"red\":\"100\",\"green\":0,\"blue\":0}"}}
            """#))
        #expect(running.sender == "HTTP")
        #expect(running.action == "pulse")
        #expect(running.color == BusylightColor(red: 100, green: 0, blue: 0))
        #expect(running.eventType == nil)
    }

    @Test func readsParameterAsAnObjectWithNestedColourAndOtherCases() throws {
        let running = try #require(read(#"""
            {"RunningCommand":{"Sender":"Zoom","EventType":"Call","EventName":"On-The-Phone","Action":"Blink","future":true,
             "Parameter":{"color":{"RedRgbValue":100,"GreenRgbValue":40,"BlueRgbValue":0},"ontime":5}}}
            """#))
        #expect(running.winner == HubWinner(sender: "Zoom", eventType: "Call", eventName: "On-The-Phone"))
        #expect(running.action == "Blink")
        #expect(running.color == BusylightColor(red: 100, green: 40, blue: 0))
    }

    @Test func readsAReplyWrappedInAJSONString() throws {
        let inner = #"{"runningcommand":{"sender":"MS Teams","eventtype":"Presence","eventname":"Away","parameter":null}}"#
        let wrapped = HubJSON.string(inner).jsonText
        #expect(read(wrapped)?.winner == HubWinner(sender: "MS Teams", eventType: "Presence", eventName: "Away"))
    }

    @Test func unreadableParameterLeavesTheColourUnknown() throws {
        let running = try #require(read(#"{"runningcommand":{"sender":"X","parameter":"not json"}}"#))
        #expect(running.sender == "X")
        #expect(running.color == nil)
        #expect(read("<html>busy</html>") == nil)
    }
}

@Suite struct DeviceListDecodingTests {
    @Test func readsTheOpenHubsOwnReplyBack() {
        let devices = [HubDevice(path: "/dev/hidraw3", modelName: "Busylight Omega", productID: 0x3BCD, vendorID: 0x27BB)]
        #expect(HubDevice.devices(reply: HubDevice.replyBody(devices)) == devices)
        #expect(HubDevice.devices(reply: HubDevice.replyBody([])) == [])
    }

    @Test func readsWrappedListsAndHexIDs() {
        let reply = #"{"devices":[{"hiddevicepath":"\\\\?\\hid#vid_27bb","modelname":"Alpha","productid":"3BCA","VendorID":"0x27BB"}]}"#
        #expect(HubDevice.devices(reply: Data(reply.utf8)) == [
            HubDevice(path: #"\\?\hid#vid_27bb"#, modelName: "Alpha", productID: 0x3BCA, vendorID: 0x27BB),
        ])
        #expect(HubDevice.devices(reply: Data("nope".utf8)) == nil)
    }
}

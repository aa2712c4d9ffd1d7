import Busylight
import Foundation
import KuandoHub
import Testing

private let red = BusylightColor(red: 100, green: 0, blue: 0)
private let amber = BusylightColor(red: 100, green: 40, blue: 0)

/// Every command the manual lists with parameters, GET-able ones first.
private let getActions: [HubAction] = [
    .light(amber), .alert(red, sound: 3, volume: 75), .blink(amber, onTime: 7, offTime: 3),
    .jingle(red, sound: 8, volume: 25), .pulse(red), .colorWithFlash(red, flash: amber), .off, .logout,
    .kuandoTimer(.mcontinue), .currentPresence, .busylightDevices,
]
private let postActions: [HubAction] = [
    .registerDataSource(HubDataSource(name: "SDK", eventTypes: [
        "Light": HubEventTypeNames(eventNames: ["Light", "Green", "Off"]),
        "Alert": HubEventTypeNames(eventNames: ["Alert"], isAlertPriority: true),
    ])),
    .createInitialPriority(HubPriorityLine(sender: "SDK")),
    .light(amber), .alert(red, sound: 3, volume: 75), .blink(amber, onTime: 7, offTime: 3),
    .jingle(red, sound: 8, volume: 25), .pulse(red), .colorWithFlash(red, flash: amber), .off, .logout,
    .startNotification(amber), .stopNotification, .currentPresence, .busylightDevices,
]

@Suite struct HubRequestGETTests {
    @Test(arguments: getActions)
    func everyGETActionReadsBackAsWritten(action: HubAction) throws {
        let request = HubRequest(action, path: "/dev/hidraw 1")
        let query = try #require(request.getQuery)
        #expect(try HubRequest(getQuery: query) == request)
    }

    @Test func writesTheManualsSpelling() {
        #expect(HubRequest(.blink(amber, onTime: 7, offTime: 7)).getQuery == "action=blink&red=100&green=40&blue=0&ontime=7&offtime=7")
        #expect(HubRequest(.logout).getQuery == "action=Logout")
        #expect(HubRequest(.kuandoTimer(.start)).getQuery == "action=kuandoTimer&command=start")
        #expect(HubRequest(.light(red), path: "/dev/hidraw0").getQuery == "action=light&red=100&green=0&blue=0&path=%2Fdev%2Fhidraw0")
    }

    @Test func commandsOnlyPOSTCarriesHaveNoGETForm() {
        #expect(HubRequest(.startNotification(red), sender: "SDK").getQuery == nil)
        #expect(HubRequest(.registerDataSource(HubDataSource(name: "SDK"))).getQuery == nil)
    }

    @Test func readsTheManualsExamples() throws {
        #expect(try HubRequest(getQuery: "action=light&red=100")?.action == .light(red))
        #expect(try HubRequest(getQuery: "action=blink&red=100")?.action == .blink(red, onTime: 5, offTime: 5))
        #expect(
            try HubRequest(getQuery: "action=blink&red=100&green=40&ontime=7&offtime=7&sound=3&volume=25")?.action
                == .blink(amber, onTime: 7, offTime: 7))
        #expect(try HubRequest(getQuery: "action=alert&red=100&sound=3&volume=25")?.action == .alert(red, sound: 3, volume: 25))
        #expect(try HubRequest(getQuery: "action=light&red=0&green=0&blue=0")?.action == .light(.off))
    }

    @Test func toleratesCaseClampsColoursAndIgnoresUnknownParameters() throws {
        #expect(try HubRequest(getQuery: "ACTION=Light&Red=250&GREEN=40&colour=x")?.action == .light(amber))
        #expect(try HubRequest(getQuery: "action=colorswithFlash&red=100&flashgreen=100")?.action
            == .colorWithFlash(red, flash: BusylightColor(red: 0, green: 100, blue: 0)))
        #expect(try HubRequest(getQuery: "action=LOGOUT")?.action == .logout)
        #expect(try HubRequest(getQuery: "action=blink&red=100&ontime=999")?.action == .blink(red, onTime: 255, offTime: 5))
        #expect(try HubRequest(getQuery: "action=off&accesstoken=secret")?.action == .off)
    }

    @Test func aQueryWithoutActionIsTheProbe() throws {
        #expect(try HubRequest(getQuery: "") == nil)
        #expect(try HubRequest(getQuery: "accesstoken=secret") == nil)
    }

    @Test(arguments: [
        ("action=light&red=abc", "red"),
        ("action=light&red=-1", "red"),
        ("action=light&red=12.5", "red"),
        ("action=blink&red=1&ontime=x", "ontime"),
        ("action=dance", "unknown action"),
        ("red=100", "needs an action"),
        ("action=light&red=1&Red=2", "twice"),
        ("action=light&red=%zz", "URL encoding"),
        ("action=kuandoTimer&command=explode", "kuandoTimer needs command"),
        ("action=kuandoTimer", "kuandoTimer needs command"),
    ])
    func rejectsGarbageWithAMessageNamingTheProblem(query: String, problem: String) {
        let error = #expect(throws: HubRequestError.self) { try HubRequest(getQuery: query) }
        #expect(error?.message.contains(problem) == true, "\(error?.message ?? "")")
    }
}

@Suite struct HubRequestPOSTTests {
    @Test(arguments: postActions)
    func everyPOSTActionReadsBackAsWritten(action: HubAction) throws {
        let request = HubRequest(action, sender: "SDK", eventType: "Light", eventName: "Color", path: "/dev/hidraw0")
        let body = try #require(request.postBody)
        #expect(try HubRequest(postBody: body) == request)
    }

    @Test func parameterIsAJSONDocumentInsideAString() throws {
        let body = try #require(HubRequest(.light(red), sender: "SDK", eventType: "Light", eventName: "Color").postBody)
        let document = try #require(HubJSON(parsing: body))
        #expect(document["parameter"] == .string(#"{"BlueRgbValue":0,"GreenRgbValue":0,"RedRgbValue":100}"#))
        #expect(document["sender"] == "SDK")
        let offBody = try #require(HubRequest(.off, sender: "SDK").postBody)
        let off = try #require(HubJSON(parsing: offBody))
        #expect(off["parameter"] == "")
        #expect(off["eventtype"] == .null)
    }

    @Test func readsTheManualsRegistrationExample() throws {
        let body = #"""
            {"action":"RegisterDataSource","sender":null,"eventtype":null,"eventname":null,
             "parameter":"{\"DataSourceName\":\"SDK\",\"eventnames\":{\"Light\":{\"EventNames\":[\"Light\",\"Green\",\"Red\",\"Yellow\",\"Off\"],\"IsAlertPriority\":false},\"Alert\":{\"EventNames\":[\"Alert\",\"Other Notification\"],\"IsAlertPriority\":true}}}"}
            """#
        let request = try HubRequest(postBody: Data(body.utf8))
        #expect(request.action == .registerDataSource(HubDataSource(name: "SDK", eventTypes: [
            "Light": HubEventTypeNames(eventNames: ["Light", "Green", "Red", "Yellow", "Off"]),
            "Alert": HubEventTypeNames(eventNames: ["Alert", "Other Notification"], isAlertPriority: true),
        ])))
        let priority = #"""
            {"action":"CreateInitialPriority","sender":null,"eventtype":null,"eventname":null,
             "parameter":"{\"enabled\":true,\"sender\":\"SDK\",\"eventtype\":null,\"eventnames\":[],\"IsAlertPriority\":false}"}
            """#
        #expect(try HubRequest(postBody: Data(priority.utf8)).action == .createInitialPriority(HubPriorityLine(sender: "SDK")))
    }

    @Test func toleratesTheManualsLooseForms() throws {
        // 255 as in several manual examples, member names in other cases, parameter as an object,
        // sound for clip, numbers as strings, path inside parameter.
        let body = #"""
            {"Action":"alert","Sender":"SDK","EventType":"Alert","EventName":"Alert",
             "parameter":{"Color":{"redrgbvalue":255,"GreenRgbValue":"40"},"sound":"3","Volume":75,"path":"/dev/hidraw2"}}
            """#
        let request = try HubRequest(postBody: Data(body.utf8))
        #expect(request.action == .alert(amber, sound: 3, volume: 75))
        #expect(request.sender == "SDK")
        #expect(request.path == "/dev/hidraw2")
        let flat = #"{"action":"Light","sender":"SDK","parameter":"{\"Red\":100,\"color\":null}"}"#
        #expect(try HubRequest(postBody: Data(flat.utf8)).action == .light(red))
    }

    @Test(arguments: [
        ("garbage", "JSON object"),
        ("[1,2]", "JSON object"),
        (#"{"sender":"SDK"}"#, "no \"action\""),
        (#"{"action":"Dance","sender":"SDK"}"#, "unknown action"),
        (#"{"action":"Light","parameter":"{\"RedRgbValue\":100}"}"#, "needs a sender"),
        (#"{"action":"Light","sender":"SDK","parameter":"{not json"}"#, "parameter must be a JSON object"),
        (#"{"action":"Light","sender":"SDK","parameter":42}"#, "parameter must be a JSON object"),
        (#"{"action":"Light","sender":"SDK","parameter":"{\"RedRgbValue\":\"lots\"}"}"#, "RedRgbValue"),
        (#"{"action":"Blink","sender":"SDK","parameter":"{\"ontime\":-2}"}"#, "ontime"),
        (#"{"action":"Pulse","sender":"SDK","parameter":"{\"color\":[1]}"}"#, "JSON object like"),
        (#"{"action":"Light","sender":["SDK"]}"#, "sender must be a string"),
        (#"{"action":"RegisterDataSource","parameter":"{}"}"#, "DataSourceName"),
        (#"{"action":"RegisterDataSource","parameter":"{\"DataSourceName\":\"X\",\"eventnames\":{\"Light\":{\"EventNames\":[{}]}}}"}"#, "EventNames"),
        (#"{"action":"CreateInitialPriority","parameter":"{\"enabled\":true}"}"#, "sender"),
        (#"{"action":"kuandoTimer","parameter":""}"#, "unknown action"),
    ])
    func rejectsGarbageWithAMessageNamingTheProblem(body: String, problem: String) {
        let error = #expect(throws: HubRequestError.self) { try HubRequest(postBody: Data(body.utf8)) }
        #expect(error?.message.contains(problem) == true, "\(error?.message ?? "")")
    }
}

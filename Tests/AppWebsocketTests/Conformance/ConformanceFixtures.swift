/// Frames quoted from public innovaphone sources, each with the source it is quoted from
/// (`repository@commit:path:line`) and the release it shows; `docs/protocol-conformance.md` says
/// what each message type's evidence is. Two kinds of source:
/// - captures of a real 13r3 PBX (`ricoschulte/go-myapps` test fixtures; their login digests
///   verify with the published passwords and challenges);
/// - the SDK's own pages (`innovaphone/13r1-SDK`, and later SDK copies in `daniloevolz/innovaphone`).
struct Fixture: Sendable, CustomStringConvertible {
    enum Direction: String, Sendable {
        case pbxToService, appToService, serviceToPBX, myAppsToApp, appToMyApps
    }

    /// Who a captured `AppLogin` comes from.
    enum Login: Sendable {
        /// The PBX: the App object logging in as itself.
        case pbx
        /// A user's app, its login brokered by myApps.
        case user
    }

    let direction: Direction
    let source: String
    let version: String
    var login: Login? = nil
    /// The password and challenge the digest was made with, where the source publishes them.
    var digest: (password: String, challenge: String)? = nil
    let text: String

    var description: String { source }

    static let all: [Fixture] = [
        // github:ricoschulte/go-myapps@7362becf5665:service/innotools_test.go:21
        // Captured AppLogin sent by the PBX App object "go-search" to a Go app service (app "searchapi"). Digest verifies: SHA256 over app:domain:sip:guid:dn:<info as received>:16d7dbbcccb63612:go (checked) -- only with the ORIGINAL key order of info. No pbxObj key; key order mt,sip,guid,dn,digest,domain,app,
        Fixture(
            direction: .pbxToService, source: "github:ricoschulte/go-myapps@7362becf5665:service/innotools_test.go:21", version: "13r3", login: .pbx, digest: (password: "go", challenge: "16d7dbbcccb63612"),
            text: #"{"mt":"AppLogin","sip":"go-search","guid":"3954ae7854c96301c9dd009033400109","dn":"go-search","digest":"130f168773ff760701b74e629eca2544c6e62d5354e92e6f821001a982eb8951","domain":"fritz.box","app":"searchapi","info":{"appobj":"go-search","appdn":"go-search","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/searchapi","pbx":"pbx-main","cn":"go-search","unlicensed":true,"apps":[]}}"#),
        // github:ricoschulte/go-myapps@7362becf5665:service/innotools_test.go:28
        // Captured AppLogin from PBX App object "go" (app "admin"). Same shape as above; digest verified by the fixture (password "go", challenge aeaaebe781e80289).
        Fixture(
            direction: .pbxToService, source: "github:ricoschulte/go-myapps@7362becf5665:service/innotools_test.go:28", version: "13r3", login: .pbx, digest: (password: "go", challenge: "aeaaebe781e80289"),
            text: #"{"mt":"AppLogin","sip":"go","guid":"8e7ca6fabbc5630170e9009033400109","dn":"go","digest":"8f802873dcdee7cef6144017a6112289298ad69e77474a4c37cfdb68a83640c0","domain":"fritz.box","app":"admin","info":{"appobj":"go","appdn":"go","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/admin","pbx":"pbx-main","cn":"go","unlicensed":true,"apps":[]}}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:doc/protocol/push.htm:126
        // AppLogin sent by the PBX Push object to services.innovaphone.com/push. domain is "pbx.example.com/master" (contains a slash); info has no appdn/pbx/apps; no pbxObj. Digest not verifiable (secret unknown); values look sanitized (pbx.example.com).
        Fixture(
            direction: .pbxToService, source: "github:innovaphone/13r1-SDK@5c71ff677606:doc/protocol/push.htm:126", version: "13r1 SDK doc", login: .pbx,
            text: #"{"mt":"AppLogin","sip":"push","guid":"13192b1d681c5e013aa40050569751d2","dn":"Push","digest":"909a756af923bfe2cd1acfc32a41a816b62ed4c435f5c505e112491b3f6de7de","domain":"pbx.example.com/master","app":"ws","info":{"appobj":"push","appurl":"https://services.innovaphone.com/push/ws","cn":"Push","unlicensed":true}}"#),
        // github:ricoschulte/go-myapps@7362becf5665:service/innotools_test.go:35
        // Captured AppLogin of a myApps user session (sent by the innovaphone JS AppWebsocket lib on behalf of the user; content = myApps "Login"/AppGetLoginResult reply minus key/salt). Has pbxObj, info.groups:[] and info.apps:[]; digest verified (password "go").
        Fixture(
            direction: .appToService, source: "github:ricoschulte/go-myapps@7362becf5665:service/innotools_test.go:35", version: "13r3", login: .user, digest: (password: "go", challenge: "277f41a7a5b7b452"),
            text: #"{"mt":"AppLogin","app":"admin","domain":"fritz.box","sip":"rico","guid":"f48b06484a8a61015853009033400109","dn":"Schulte, Rico","info":{"appobj":"go","appdn":"go","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/admin","pbx":"pbx-main","cn":"rico","unlicensed":true,"groups":[],"apps":[]},"digest":"965b4dd4d4f127c99df796b1ed137b40454801f94f50aaf93b2ce98034f10d9c","pbxObj":"go"}"#),
        // github:ricoschulte/go-myapps@7362becf5665:service/innotools_test.go:42
        // Captured user AppLogin with info.testmode:true and NO unlicensed key (PBX in test mode). Digest verified by fixture.
        Fixture(
            direction: .appToService, source: "github:ricoschulte/go-myapps@7362becf5665:service/innotools_test.go:42", version: "13r3", login: .user, digest: (password: "go", challenge: "7c4fc2e477f69233"),
            text: #"{"mt":"AppLogin","app":"searchapi","domain":"fritz.box","sip":"rico","guid":"f48b06484a8a61015853009033400109","dn":"Schulte, Rico","info":{"appobj":"go-search","appdn":"go-search","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/searchapi","pbx":"pbx-main","cn":"rico","testmode":true,"groups":[],"apps":[]},"digest":"378b82aa7508eb53866e3f4de054cdc0f7b5229e9742593e9359db3845681eb6","pbxObj":"go-search"}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:doc/appwebsocket/AppWebsocket.htm:295
        // Official digest test vector 4 (password "pwd", challenge 0123456789abcdef) -- digest verified. Pretty-printed with sorted keys in the doc; info serialized for the digest in that (sorted) order.
        Fixture(
            direction: .appToService, source: "github:innovaphone/13r1-SDK@5c71ff677606:doc/appwebsocket/AppWebsocket.htm:295", version: "13r1 SDK doc", login: .user, digest: (password: "pwd", challenge: "0123456789abcdef"),
            text: #"{"app":"innovaphone-users","digest":"ef1b811ffaa8f9255c39c653d8fb26b4687b2d8c4d9ac91b4821bff6bae3ff44","dn":"Administrator User","domain":"example.com","guid":"0123456789abcdef0123456789abcdef","info":{"appobj":"users","apps":[{"name":"users"},{"name":"profile"}],"appurl":"https://1.2.3.4/example.com/usersapp/innovaphone-users","unlicensed":true},"mt":"AppLogin","pbxObj":"users","sip":"administrator"}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:doc/protocol/push.htm:122
        // Protocol example of the PBX logging in to the innovaphone push App Service (the PBX is the websocket client here).
        Fixture(
            direction: .pbxToService, source: "github:innovaphone/13r1-SDK@5c71ff677606:doc/protocol/push.htm:122", version: "13r1 SDK doc",
            text: #"{"mt":"AppChallenge"}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:doc/protocol/push.htm:124
        // Reply of the push service to the PBX. Challenge is 16 hex chars (not digits only).
        Fixture(
            direction: .serviceToPBX, source: "github:innovaphone/13r1-SDK@5c71ff677606:doc/protocol/push.htm:124", version: "13r1 SDK doc",
            text: #"{"mt":"AppChallengeResult","challenge":"577fb2b83962c53a"}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:doc/protocol/push.htm:128
        Fixture(
            direction: .serviceToPBX, source: "github:innovaphone/13r1-SDK@5c71ff677606:doc/protocol/push.htm:128", version: "13r1 SDK doc",
            text: #"{"mt":"AppLoginResult","ok":true}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:doc/appwebsocket/RCC.htm:252
        // The ONLY CallInfo example found anywhere public. Disconnect (msg r-disc) with state 6 (= disc-sent per CallAdd state table) and info as an ARRAY of {type,vali,vals} although the 14r1 field list says info:object. peer.h323 is an empty string, no conf/time/no/cn/dn/type.
        Fixture(
            direction: .pbxToService, source: "github:innovaphone/13r1-SDK@5c71ff677606:doc/appwebsocket/RCC.htm:252", version: "13r1 SDK doc",
            text: #"{"mt":"CallInfo","api":"RCC","user":1,"call":2,"state":6,"peer":{"e164":"444","h323":""},"msg":"r-disc","info":[{"type":"cause","vali":1,"vals":"Unallocated (unassigned) number"}]}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:doc/appwebsocket/PbxTableUsers.htm:209
        // Doc example of a PBX ReplicateUpdate for a user. apps-my is a comma-separated STRING; cds[].src is an XML string; no src property.
        Fixture(
            direction: .pbxToService, source: "github:innovaphone/13r1-SDK@5c71ff677606:doc/appwebsocket/PbxTableUsers.htm:209", version: "13r1 SDK doc",
            text: #"{"mt":"ReplicateUpdate","api":"PbxTableUsers","columns":{"guid":"c9ebcc5914bd5e01c8020090334106ee","h323":"user0","pwd":"05a14fa93ec663b04deaf54277b1eb874612793587f0b287","cn":"User0","apps-my":"apps,usersadmin,profile,phone,users,users2,softphone,devices,pbxmanager","config":"Config","node":"root","loc":"master","hide":false,"e164":"201","emails":[{"email":"user0@example.com"}],"allows":[{"name":"@test1.com","presence":true,"visible":true},{"name":"@test2.com","presence":true,"visible":true}],"t-allows":[{"name":"@test1.com","online":true,"presence":true,"visible":true}],"grps":[{"name":"group1","mode":"active","dyn":"in"}],"devices":[{"hw":"Swphone_user0","text":"softphone","app":"softphone","tls":true,"sreg":true}],"cds":[{"type":"cfnr","bool":"booltest","e164":"203"},{"type":"cfb","h323":"test","src":"<src type=\"do\"><ep ext=\"false\" fwd=\"fwd\" /></src>"}],"forks":[{"e164":"9999","bool":"booltest","bool-not":true,"mobility":"Mobility","delay":30,"hw":"Smartphone","app":"rcc","cw":true,"min":1,"max":10}]}}"#),
        // github:ricoschulte/go-myapps@7362becf5665:service/pbxtableusers/api_test.go:19
        // Captured ReplicateUpdate (fixture "wakeup") from a real PBX after editing a user in the admin UI; src echoes the replicator src chosen by the client ("src_<unix-nanos>"). Values like "aaaaaaaaaaaa"/"vvvv" were typed into the PBX UI by the author.
        Fixture(
            direction: .pbxToService, source: "github:ricoschulte/go-myapps@7362becf5665:service/pbxtableusers/api_test.go:19", version: "13r3",
            text: #"{"mt":"ReplicateUpdate","src":"src_1677997325518944961","api":"PbxTableUsers","columns":{"apps-my":"users","cn":"Charlotte Maihoff","config":"Config User","dn":"Maihoff, Charlotte","e164":"403","fax":false,"grps":[{"name":"Support"},{"name":"pats_haus1"}],"guid":"66eaaee678464cffb9a3c8ae259fedd2","h323":"charlottemaihoff","hide":false,"loc":"pbx-main","node":"master","pwd":"f8c26f062fedf2ff2980b8b8bdbb01a6df91add1f605e7f5","t-allows":[{"name":"@fritz.box","online":true,"presence":true,"otf":true,"note":true,"visible":true}],"wakeups":[{"h":2,"m":3,"s":4,"name":"44444","num":"44333","retry":2,"mult":true,"to":34,"fallback":"3333","bool":"my_new_boolean","bool-not":true}]}}"#),
        // github:ricoschulte/go-myapps@7362becf5665:service/pbxtableusers/api_test.go:23
        // Captured ReplicateUpdate (fixture "fork") from a real PBX after editing a user in the admin UI; src echoes the replicator src chosen by the client ("src_<unix-nanos>"). Values like "aaaaaaaaaaaa"/"vvvv" were typed into the PBX UI by the author.
        Fixture(
            direction: .pbxToService, source: "github:ricoschulte/go-myapps@7362becf5665:service/pbxtableusers/api_test.go:23", version: "13r3",
            text: #"{"mt":"ReplicateUpdate","src":"src_1677997916352198068","api":"PbxTableUsers","columns":{"apps-my":"users","cn":"Charlotte Maihoff","config":"Config User","dn":"Maihoff, Charlotte","e164":"403","fax":false,"forks":[{"h323":"aaaaaaaaaaaa","bool":"my_new_boolean","bool-not":true,"mobility":"vvvvvvvvvvvvvvv","delay":444,"hw":"vvvvvvvvvvvvvvvv","app":"vvvvvvvvvvvvv","off":true,"cw":true,"min":5,"max":5}],"grps":[{"name":"Support"},{"name":"pats_haus1"}],"guid":"66eaaee678464cffb9a3c8ae259fedd2","h323":"charlottemaihoff","hide":false,"loc":"pbx-main","node":"master","pwd":"f8c26f062fedf2ff2980b8b8bdbb01a6df91add1f605e7f5","t-allows":[{"name":"@fritz.box","online":true,"presence":true,"otf":true,"note":true,"visible":true}],"wakeups":[]}}"#),
        // github:ricoschulte/go-myapps@7362becf5665:service/pbxtableusers/api_test.go:27
        // Captured ReplicateUpdate (fixture "cds") from a real PBX after editing a user in the admin UI; src echoes the replicator src chosen by the client ("src_<unix-nanos>"). Values like "aaaaaaaaaaaa"/"vvvv" were typed into the PBX UI by the author.
        Fixture(
            direction: .pbxToService, source: "github:ricoschulte/go-myapps@7362becf5665:service/pbxtableusers/api_test.go:27", version: "13r3",
            text: #"{"mt":"ReplicateUpdate","src":"src_1677998086155540423","api":"PbxTableUsers","columns":{"apps-my":"users","cds":[{"type":"cfu","bool":"my_new_boolean","e164":"111233","h323":"sdsdsd","src":"<src type=\"do\"><ep e164=\"3333\" h323=\"dddd\" ext=\"true\" fwd=\"both\"/></src>","precedence":true},{"type":"cfb","bool":"Business hours","bool-not":true,"e164":"4444","h323":"ffff","src":"<src type=\"dont\"><ep e164=\"4444\" h323=\"tggggg\" ext=\"false\" fwd=\"fwd\"/></src>"},{"type":"cfnr","h323":"44444444","precedence":true}],"cn":"Charlotte Maihoff","config":"Config User","dn":"Maihoff, Charlotte","e164":"403","fax":false,"grps":[{"name":"Support"},{"name":"pats_haus1"}],"guid":"66eaaee678464cffb9a3c8ae259fedd2","h323":"charlottemaihoff","hide":false,"loc":"pbx-main","node":"master","pwd":"f8c26f062fedf2ff2980b8b8bdbb01a6df91add1f605e7f5","t-allows":[{"name":"@fritz.box","online":true,"presence":true,"otf":true,"note":true,"visible":true}],"wakeups":[]}}"#),
        // github:ricoschulte/go-myapps@7362becf5665:service/pbxtableusers/api_test.go:31
        // Captured ReplicateUpdate (fixture "device") from a real PBX after editing a user in the admin UI; src echoes the replicator src chosen by the client ("src_<unix-nanos>"). Values like "aaaaaaaaaaaa"/"vvvv" were typed into the PBX UI by the author.
        Fixture(
            direction: .pbxToService, source: "github:ricoschulte/go-myapps@7362becf5665:service/pbxtableusers/api_test.go:31", version: "13r3",
            text: #"{"mt":"ReplicateUpdate","src":"src_1677998086155540423","api":"PbxTableUsers","columns":{"apps-my":"users","cn":"Charlotte Maihoff","config":"Config User","devices":[{"hw":"hwid","text":"name","app":"app","admin":true,"no-filter":true,"tls":true,"no-mob":true,"trusted":true,"sreg":true,"mr":true}],"dn":"Maihoff, Charlotte","e164":"403","fax":false,"grps":[{"name":"Support"},{"name":"pats_haus1"}],"guid":"66eaaee678464cffb9a3c8ae259fedd2","h323":"charlottemaihoff","hide":false,"loc":"pbx-main","node":"master","pwd":"f8c26f062fedf2ff2980b8b8bdbb01a6df91add1f605e7f5","t-allows":[{"name":"@fritz.box","online":true,"presence":true,"otf":true,"note":true,"visible":true}],"wakeups":[]}}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:doc/appwebsocket/PbxApi.htm:76
        // Schema block that happens to contain no placeholders, i.e. the documented minimal frame. Real frames additionally echo src (api+src dispatch).
        Fixture(
            direction: .pbxToService, source: "github:innovaphone/13r1-SDK@5c71ff677606:doc/appwebsocket/PbxApi.htm:76", version: "13r1 SDK doc",
            text: #"{"api":"PbxApi","mt":"SubscribePresenceResult"}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:doc/appwebsocket/PbxApi.htm:145
        // Schema block without placeholders (minimal frame).
        Fixture(
            direction: .pbxToService, source: "github:innovaphone/13r1-SDK@5c71ff677606:doc/appwebsocket/PbxApi.htm:145", version: "13r1 SDK doc",
            text: #"{"api":"PbxApi","mt":"UnsubscribePresenceResult"}"#),
        // github:daniloevolz/innovaphone@a7aaedb6e53d:billboard/billboard/doc/appwebsocket/PbxApi.htm:388
        // Schema block without placeholders (minimal frame); trailing comma in the doc removed.
        // Not byte-exact in the source: trailing comma removed
        Fixture(
            direction: .pbxToService, source: "github:daniloevolz/innovaphone@a7aaedb6e53d:billboard/billboard/doc/appwebsocket/PbxApi.htm:388", version: "13r3 SDK doc copy",
            text: #"{"api":"PbxApi","mt":"DelAlienCallResult"}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:web1/com.innovaphone.phoneinfo/com.innovaphone.phoneinfo.htm:47
        // phoneinfo payload (arrives as obj.msg inside the API envelope); id is a number, guid a hex string.
        // Not byte-exact in the source: unquoted keys quoted
        Fixture(
            direction: .myAppsToApp, source: "github:innovaphone/13r1-SDK@5c71ff677606:web1/com.innovaphone.phoneinfo/com.innovaphone.phoneinfo.htm:47", version: "13r1 SDK doc",
            text: #"{"mt":"CallAdded","id":1,"guid":"fff79c5bd2115d0109f400903341035b"}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:web1/com.innovaphone.phoneinfo/com.innovaphone.phoneinfo.htm:64
        // state is a capitalized string ("Connected"), dir "i"/"o".
        // Not byte-exact in the source: unquoted keys quoted
        Fixture(
            direction: .myAppsToApp, source: "github:innovaphone/13r1-SDK@5c71ff677606:web1/com.innovaphone.phoneinfo/com.innovaphone.phoneinfo.htm:64", version: "13r1 SDK doc",
            text: #"{"mt":"CallUpdated","id":1,"guid":"fff79c5bd2115d0109f400903341035b","dir":"i","num":"200","sip":"charlie.chaplin","dn":"Sir Charles Spencer Chaplin","state":"Connected"}"#),
        // github:daniloevolz/innovaphone@a7aaedb6e53d:billboard/billboard/web1/com.innovaphone.phoneinfo/com.innovaphone.phoneinfo.htm:66
        // Adds lastDiverting and originalCalled (display name OR number strings).
        // Not byte-exact in the source: unquoted keys quoted
        Fixture(
            direction: .myAppsToApp, source: "github:daniloevolz/innovaphone@a7aaedb6e53d:billboard/billboard/web1/com.innovaphone.phoneinfo/com.innovaphone.phoneinfo.htm:66", version: "13r3 SDK doc copy",
            text: #"{"mt":"CallUpdated","id":1,"guid":"fff79c5bd2115d0109f400903341035b","dir":"i","num":"200","sip":"charlie.chaplin","dn":"Sir Charles Spencer Chaplin","lastDiverting":"David Llewelyn Wark Griffith","originalCalled":"Mary Wayne Marsh","state":"Connected"}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:web1/com.innovaphone.phoneinfo/com.innovaphone.phoneinfo.htm:91
        // transformations: unquoted keys quoted
        // Not byte-exact in the source: unquoted keys quoted
        Fixture(
            direction: .myAppsToApp, source: "github:innovaphone/13r1-SDK@5c71ff677606:web1/com.innovaphone.phoneinfo/com.innovaphone.phoneinfo.htm:91", version: "13r1 SDK doc",
            text: #"{"mt":"CallRemoved","id":1,"guid":"fff79c5bd2115d0109f400903341035b"}"#),
        // github:daniloevolz/innovaphone@a7aaedb6e53d:coreconnector/coreconnector/web1/com.innovaphone.phoneinfo/com.innovaphone.phoneinfo.htm:123
        // NOT RCC: the com.innovaphone.phone API also uses mt "CallInfo" (app -> phone app: id, guid, html). Built literally in the doc example code.
        // Not byte-exact in the source: filled placeholders obj.msg.id=1 and obj.msg.guid from the CallUpdated example on the same page; unquoted keys quoted
        Fixture(
            direction: .appToMyApps, source: "github:daniloevolz/innovaphone@a7aaedb6e53d:coreconnector/coreconnector/web1/com.innovaphone.phoneinfo/com.innovaphone.phoneinfo.htm:123", version: "14r1 SDK doc copy",
            text: #"{"mt":"CallInfo","id":1,"guid":"fff79c5bd2115d0109f400903341035b","html":"<div>Here's my info</div>"}"#),
        // github:innovaphone/13r1-SDK@5c71ff677606:web1/com.innovaphone.client/lib1_api_client.htm:298
        // com.innovaphone.client API payload (obj.msg). Presence items carry displayNote and params; params.until is a NUMBER (epoch ms) while note encodes it as text; calendar: contact. (HTML file is cp1252; decoded.)
        Fixture(
            direction: .myAppsToApp, source: "github:innovaphone/13r1-SDK@5c71ff677606:web1/com.innovaphone.client/lib1_api_client.htm:298", version: "13r1 SDK doc",
            text: #"{"mt":"PresenceUpdated","sip":"atlantis","up":true,"ep":{"sip":"atlantis","dn":"Atlantis","num":"201"},"presence":[{"contact":"calendar:","status":"open","activity":"","note":"Frei bis 26.04.2018, 11:00 (Beschäftigt: Fixes) #free #until:1524733200000 #next-activity:busy #next:41:5:42:5","displayNote":"Frei bis 26.4.2018 11:00 (Beschäftigt: Fixes)","params":{"free":"","until":1524733200000,"next-activity":"busy","next":"41:5:42:5"}},{"contact":"im:","status":"closed","activity":"","displayNote":"","params":{}}]}"#),
    ]
}

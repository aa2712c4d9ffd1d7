import AppWebsocket
import Hummingbird
import NIOCore

/// Brokers myApps logins for the myApps stand-in page (`myapps-standin.htm`) in demo mode, as
/// the PBX does for the real myApps: ``objectNames`` are the App objects' names by page name
/// (myApps learns them from the PBX and passes each app its own as `name`), and ``login``, given
/// the user's SIP name, the app (the App object's name, or the page name of an app that got
/// none) and the app's challenge, returns the `AppGetLoginResult`-style object a PBX would hand
/// the app (`domain`, `sip`, `guid`, `dn`, `pbxObj`, `app`, `info`, `digest`, `key`). Throwing
/// refuses the login; the error's text is shown to the page.
///
/// Only `kuando demo` passes one (its PBX simulator signs the logins): a production service has
/// no such routes, since the real myApps gets logins from the real PBX.
public struct StandinLogin: Sendable {
    public var objectNames: [String: String]
    public var login: @Sendable (_ sip: String, _ app: String, _ challenge: String) async throws -> JSONObject

    public init(objectNames: [String: String], login: @escaping @Sendable (_ sip: String, _ app: String, _ challenge: String) async throws -> JSONObject) {
        self.objectNames = objectNames
        self.login = login
    }
}

extension ConnectorServer {
    /// Adds `GET <path>/standin/apps` (the App objects' names by page name, as JSON) and
    /// `GET <path>/standin/login?sip=&app=&challenge=`: 200 with the login as JSON, or 403 with
    /// the reason as text.
    static func addStandinRoutes(_ standin: StandinLogin, to router: Router<some RequestContext>, path: String) {
        let names = JSONValue.object(JSONObject(standin.objectNames.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })).text
        router.get(RouterPath(path + "/standin/apps")) { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: names)))
        }
        router.get(RouterPath(path + "/standin/login")) { request, _ -> Response in
            let query = request.uri.queryParameters
            do {
                let answer = try await standin.login(String(query["sip"] ?? ""), String(query["app"] ?? ""), String(query["challenge"] ?? ""))
                return Response(
                    status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(answer).text)))
            } catch {
                return Response(
                    status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "no login: \(error)")))
            }
        }
    }
}

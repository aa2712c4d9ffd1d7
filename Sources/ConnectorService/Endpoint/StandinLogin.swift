import AppWebsocket
import Hummingbird
import NIOCore

/// Brokers a myApps login for the myApps stand-in page (`myapps-standin.htm`) in demo mode:
/// given the user's SIP name, the app (htm name or App object name) and the app's challenge,
/// the `AppGetLoginResult`-style object a PBX would hand the app (`domain`, `sip`, `guid`, `dn`,
/// `pbxObj`, `app`, `info`, `digest`, `key`). Throwing refuses the login; the error's text is
/// shown to the page.
///
/// Only `kuando demo` passes one (its PBX simulator signs the logins): a production service has
/// no such route, since the real myApps gets logins from the real PBX.
public typealias StandinLogin = @Sendable (_ sip: String, _ app: String, _ challenge: String) async throws -> JSONObject

extension ConnectorServer {
    /// Adds `GET <path>/standin/login?sip=&app=&challenge=`: 200 with the login as JSON, or 403
    /// with the reason as text.
    static func addStandinLoginRoute(_ login: @escaping StandinLogin, to router: Router<some RequestContext>, path: String) {
        router.get(RouterPath(path + "/standin/login")) { request, _ -> Response in
            let query = request.uri.queryParameters
            do {
                let answer = try await login(String(query["sip"] ?? ""), String(query["app"] ?? ""), String(query["challenge"] ?? ""))
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

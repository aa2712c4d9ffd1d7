import Foundation

/// The small JSON bodies the open hub answers with besides `currentpresence` and `busylightdevices`.
public enum HubReply {
    /// `{"response":"OK"}`: the command was taken.
    public static let ok = Data(#"{"response":"OK"}"#.utf8)

    /// `{"response":"Error","error":"…"}`: what was wrong and what to do.
    public static func error(_ message: String) -> Data {
        Data(HubJSON.object(["response": "Error", "error": .string(message)]).jsonText.utf8)
    }

    /// The `error` text of an error body, if `body` is one.
    public static func errorMessage(in body: Data) -> String? {
        HubJSON(parsing: body)?["error"]?.text
    }
}

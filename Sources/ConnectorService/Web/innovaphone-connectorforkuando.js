// The hidden myApps app "Connector for kuando": a dumb pipe between the service and the user's
// local kuandoHUB, and a second source of call state. It decides nothing (docs/api.md):
//
//   service → app  HubRelayRequest{src, method, url, body, token}
//   app → hub      fetch(url, {method, body, headers: {http_token: token}})   (token only when set)
//   app → service  HubRelayResult{src, status, body}   or   HubRelayResult{src, error}
//   myApps → app   ApiRequest{api:"com.innovaphone.phoneinfo", msg:{mt:"CallAdded"|"CallUpdated"|"CallRemoved", …}}
//   app → service  PhoneCall{event, call}
//   service → app  Trace{line}: printed to the console
//
// Trace lines start with `kuandoconnector-log:`.
import { AppSocket, announceAlive, makeTrace, onParentMessage, postToParent, readStart } from "./innovaphone-connectorforkuando-appsocket.js";

const app = "innovaphone-connectorforkuando";
const phoneinfo = "com.innovaphone.phoneinfo";
const callEvents = new Set(["CallAdded", "CallUpdated", "CallRemoved"]);
const trace = makeTrace("kuandoconnector-log:");
const start = readStart();
announceAlive();
const connection = document.getElementById("connection");
// Whether the last relay reached the hub; the console hears only about changes, not every try.
let hubReachable = null;
// The phone app's live calls by id (their latest event), and the ends the service has not heard
// of yet: after a (re)connect the service gets each once, so no call is left on the lamp.
const liveCalls = new Map();
const unsentEnds = new Map();

const socket = AppSocket.forStart(start, {
    app,
    trace,
    onstate: (state) => {
        connection.dataset.state = state;
        connection.textContent = state;
        if (state === "connected") resendCalls();
    },
    onmessage: (message) => {
        switch (message.mt) {
            case "HubRelayRequest":
                relay(message);
                break;
            case "Trace":
                trace(String(message.line));
                break;
        }
    },
});

/** Does one hub request for the service and answers it. */
async function relay({ src, method, url, body, token }) {
    const answer = { mt: "HubRelayResult", src };
    try {
        const response = await fetch(url, {
            method: method || "GET",
            body: method === "POST" ? body : undefined,
            headers: token ? { http_token: token } : {},
            cache: "no-store",
        });
        answer.status = response.status;
        answer.body = await response.text();
        noteHub(true, `hub at ${new URL(url).origin} answers again`);
    } catch (error) {
        answer.error = `${error.name}: ${error.message}`;
        noteHub(false, `hub at ${safeOrigin(url)} cannot be reached (${answer.error}); is the kuandoHUB running on this PC?`);
    }
    socket.send(answer);
}

function noteHub(reachable, line) {
    const first = hubReachable === null;
    const changed = hubReachable !== reachable;
    hubReachable = reachable;
    if (changed && !(first && reachable)) trace(line);
}

function safeOrigin(url) {
    try {
        return new URL(url).origin;
    } catch {
        return "(not a URL)";
    }
}

onParentMessage((message) => {
    if (message.mt !== "ApiRequest" || message.api !== phoneinfo || !message.msg || !callEvents.has(message.msg.mt)) return;
    const { mt: event, ...call } = message.msg;
    if (event === "CallRemoved") liveCalls.delete(call.id);
    else liveCalls.set(call.id, call);
    if (socket.send({ mt: "PhoneCall", event, call })) return;
    if (event === "CallRemoved") unsentEnds.set(call.id, call);
    trace(`${event} for call ${call.id} kept until the service is connected again`);
});

/** After a (re)connect: the ends missed while away, then the latest state of each live call. */
function resendCalls() {
    for (const call of unsentEnds.values()) socket.send({ mt: "PhoneCall", event: "CallRemoved", call });
    unsentEnds.clear();
    for (const call of liveCalls.values()) socket.send({ mt: "PhoneCall", event: "CallUpdated", call });
}

postToParent({ mt: "RegisterApi", api: phoneinfo });
socket.start();

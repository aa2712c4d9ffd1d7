// The hidden myApps app "Connector for kuando": a dumb pipe between the service and the user's
// local kuandoHUB, and a second source of call state. It decides nothing (docs/api.md):
//
//   service → app  HubRelayRequest{src, method, url, body, token}
//   app → hub      fetch(url, {method, body, headers: {http_token: token}})   (token only when set)
//   app → service  HubRelayResult{src, status, body}   or   HubRelayResult{src, error}
//   service → app  HubWatch{watch, url, token, intervalMs, keepaliveMs}: GET url every intervalMs
//   app → service  HubWatchReport{watch, status, body, polls} / {watch, error, polls}: the first
//                  answer and each change; HubWatchReport{watch, same:true, polls} when nothing
//                  changed for keepaliveMs (polls: how often the app polled since its last report)
//   service → app  HubUnwatch{watch}
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
        // A watch belongs to one connection: the service sends a new one after a reconnect.
        else stopWatch();
    },
    onmessage: (message) => {
        switch (message.mt) {
            case "HubRelayRequest":
                relay(message);
                break;
            case "HubWatch":
                startWatch(message);
                break;
            case "HubUnwatch":
                if (watch && watch.id === message.watch) stopWatch();
                break;
            case "Trace":
                trace(String(message.line));
                break;
        }
    },
});

/** Does one hub request for the service and answers it. */
async function relay({ src, method, url, body, token }) {
    socket.send({ mt: "HubRelayResult", src, ...(await fetchHub(method, url, body, token)) });
}

/** One request to the hub on this PC: `{status, body}`, or `{error}` when it cannot be fetched. */
async function fetchHub(method, url, body, token) {
    try {
        const response = await fetch(url, {
            method: method || "GET",
            body: method === "POST" ? body : undefined,
            headers: token ? { http_token: token } : {},
            cache: "no-store",
        });
        const answer = { status: response.status, body: await response.text() };
        noteHub(true, `hub at ${new URL(url).origin} answers again`);
        return answer;
    } catch (error) {
        const answer = { error: `${error.name}: ${error.message}` };
        noteHub(false, `hub at ${safeOrigin(url)} cannot be reached (${answer.error}); is the kuandoHUB running on this PC?`);
        return answer;
    }
}

// The service's hub watch: this app polls the hub here and sends only what changes, so the
// service does no work per poll. One watch at a time; a new one replaces it.
let watch = null;

function startWatch({ watch: id, url, token, intervalMs, keepaliveMs }) {
    stopWatch();
    const interval = Math.max(100, Number(intervalMs) || 1000);
    watch = { id, url, token, interval, keepalive: Math.max(interval, Number(keepaliveMs) || 120000), last: null, reported: 0, polls: 0, timer: null };
    pollWatch(watch);
}

function stopWatch() {
    if (watch) clearTimeout(watch.timer);
    watch = null;
}

async function pollWatch(current) {
    const started = Date.now();
    const answer = await fetchHub("GET", current.url, undefined, current.token);
    if (watch !== current) return;
    current.polls += 1;
    const text = JSON.stringify(answer);
    const now = Date.now();
    // The polls counted let the service see a browser that throttles this page's timers.
    if (text !== current.last) {
        if (socket.send({ mt: "HubWatchReport", watch: current.id, ...answer, polls: current.polls })) current.last = text;
        current.reported = now;
        current.polls = 0;
    } else if (now - current.reported >= current.keepalive) {
        socket.send({ mt: "HubWatchReport", watch: current.id, same: true, polls: current.polls });
        current.reported = now;
        current.polls = 0;
    }
    // Polls keep their pace: the wait leaves out the time the fetch took.
    current.timer = setTimeout(() => pollWatch(current), Math.max(0, current.interval - (Date.now() - started)));
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

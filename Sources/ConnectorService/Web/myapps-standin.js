// Stands in for the myApps client in demo mode: hosts the two apps in iframes, answers their
// `getLogin` with a login the PBX simulator brokers, and plays phone-app calls to the app that
// provides com.innovaphone.phoneinfo — so the apps run as inside myApps, on one machine.
//
//   app → here        getLogin{app, challenge, src}           RegisterApi{api}
//   here → service    GET standin/login?sip=<user>&app=<app>&challenge=<c>
//                     (or the URL in this page's `login` parameter, for a PBX simulator run elsewhere)
//   here → app        Login{src, domain, sip, guid, dn, pbxObj, app, info, digest, key}   or Login{src, error, errorText}
//   here → provider   ApiRequest{api:"com.innovaphone.phoneinfo", consumer, src, msg:{mt:"CallAdded"|…, id, guid, dir, state, …}}
const apps = {
    config: "innovaphone-connectorforkuando-config",
    hidden: "innovaphone-connectorforkuando",
};
const phoneinfo = "com.innovaphone.phoneinfo";
const params = new URLSearchParams(location.search);
const loginUrl = new URL(params.get("login") || "standin/login", location.href);
const $ = (id) => document.getElementById(id);
const providers = new Set();
let call = null;
let nextCall = 1;

function log(line) {
    $("log").textContent = line;
    console.log(`myapps-standin: ${line}`);
}

function send(frame, message) {
    frame.contentWindow.postMessage(JSON.stringify(message), "*");
}

function open() {
    providers.clear();
    const lang = $("lang").value;
    for (const [id, app] of Object.entries(apps)) {
        const url = new URL(`${app}.htm`, location.href);
        $(id).src = `${url.pathname}?lang=${encodeURIComponent(lang)}&url=${encodeURIComponent(url.href)}`;
    }
}

async function answerLogin(frame, request) {
    const query = new URLSearchParams({ sip: $("user").value.trim(), app: request.app, challenge: request.challenge });
    try {
        const response = await fetch(`${loginUrl.href}?${query}`, { cache: "no-store" });
        const text = await response.text();
        if (!response.ok) throw new Error(text || `HTTP ${response.status}`);
        const login = JSON.parse(text);
        send(frame, { ...login, mt: "Login", src: request.src });
        log(`login for ${request.app} as ${login.sip}`);
    } catch (error) {
        send(frame, { mt: "Login", src: request.src, error: 1, errorText: error.message });
        log(`no login for ${request.app}: ${error.message}`);
    }
}

function playCall(event, state) {
    if (event === "CallAdded" || !call) call = { id: nextCall++, guid: crypto.randomUUID().replaceAll("-", ""), dir: $("dir").value };
    const msg = { mt: event, id: call.id, guid: call.guid, dir: call.dir, num: "0301234", sip: "", dn: "Caller", state };
    for (const id of providers) {
        send($(id), { mt: "ApiRequest", api: phoneinfo, consumer: "@phone", src: `call${call.id}`, msg });
    }
    log(`${event} ${state} call ${call.id} to ${providers.size} provider(s) of ${phoneinfo}`);
    if (event === "CallRemoved") call = null;
}

window.addEventListener("message", (event) => {
    const frame = ["config", "hidden"].map($).find((f) => f.contentWindow === event.source);
    if (!frame || typeof event.data !== "string") return;
    let message;
    try {
        message = JSON.parse(event.data);
    } catch {
        return;
    }
    if (message.mt === "getLogin") answerLogin(frame, message);
    if (message.mt === "RegisterApi" && message.api === phoneinfo) providers.add(frame.id);
});

if (params.get("user")) $("user").value = params.get("user");
if (params.get("lang")) $("lang").value = params.get("lang");
$("reload").addEventListener("click", open);
for (const button of document.querySelectorAll("[data-call]")) {
    button.addEventListener("click", () => playCall(button.dataset.call, button.dataset.callState));
}
open();

// Stands in for the myApps client in demo mode: hosts the two apps in iframes, answers their
// `getLogin` with a login the PBX simulator brokers, and plays phone-app calls to the app that
// provides com.innovaphone.phoneinfo — so the apps run as inside myApps, on one machine.
//
//   here → service    GET standin/apps → {<page name>: <App object name>, …}   (myApps learns them from the PBX)
//   here → app        iframe <page>.htm?lang=…&url=<App object URL>&name=<App object name>
//   app → here        Alive{}   getLogin{app: <App object name>, challenge, src}   RegisterApi{api}
//   here → service    GET standin/login?sip=<user>&app=<app>&challenge=<c>
//                     (or the URL in this page's `login` parameter, for a PBX simulator run elsewhere)
//   here → app        Login{src, domain, sip, guid, dn, pbxObj, app, info, digest, key}   or Login{src, error, errorText}
//                     (with `myapps=13r1` in this page's URL, without `src`, as a 13r1 myApps answers;
//                     the app then knows its login by `pbxObj`)
// Each app's `Alive` is noted in the page's `data-alive` (e.g. "config hidden"), for a look.
//   here → provider   ApiRequest{api:"com.innovaphone.phoneinfo", consumer, src, msg:{mt:"CallAdded"|…, id, guid, dir, state, …}}
const apps = {
    config: "innovaphone-connectorforkuando-config",
    hidden: "innovaphone-connectorforkuando",
};
const phoneinfo = "com.innovaphone.phoneinfo";
const params = new URLSearchParams(location.search);
const loginUrl = new URL(params.get("login") || "standin/login", location.href);
const appsUrl = new URL(params.get("apps") || "standin/apps", location.href);
const repliesWithoutSrc = params.get("myapps") === "13r1";
// The App objects' names by page name; a page without one asks under its own name.
let objectNames = {};
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

async function loadObjectNames() {
    try {
        const response = await fetch(appsUrl.href, { cache: "no-store" });
        if (response.ok) objectNames = await response.json();
    } catch {
        objectNames = {};
    }
}

function open() {
    providers.clear();
    document.body.dataset.alive = "";
    const lang = $("lang").value;
    for (const [id, app] of Object.entries(apps)) {
        // As myApps does: the App object's URL (no .htm) in `url`, its name in `name`.
        const objectUrl = new URL(app, location.href);
        const query = new URLSearchParams({ lang, url: objectUrl.href });
        if (objectNames[app]) query.set("name", objectNames[app]);
        $(id).src = `${objectUrl.pathname}.htm?${query}`;
    }
}

async function answerLogin(frame, request) {
    const query = new URLSearchParams({ sip: $("user").value.trim(), app: request.app, challenge: request.challenge });
    try {
        const response = await fetch(`${loginUrl.href}?${query}`, { cache: "no-store" });
        const text = await response.text();
        if (!response.ok) throw new Error(text || `HTTP ${response.status}`);
        const login = JSON.parse(text);
        const reply = { ...login, mt: "Login", src: request.src };
        if (repliesWithoutSrc) delete reply.src;
        send(frame, reply);
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
    if (message.mt === "Alive") {
        const alive = new Set((document.body.dataset.alive || "").split(" ").filter(Boolean)).add(frame.id);
        document.body.dataset.alive = [...alive].sort().join(" ");
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
loadObjectNames().then(open);

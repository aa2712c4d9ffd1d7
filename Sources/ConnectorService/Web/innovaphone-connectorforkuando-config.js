// The myApps app "Connector for kuando config": shows and edits the user's settings, tests the
// hub and the lamp, and shows what the connector sees. The service owns the settings and
// checks them (docs/api.md); this page only catches obvious typing errors before sending.
//
// Messages: GetConfig, SetConfig{config}, TestHub{hubUrl, hubToken}, TestLamp{state} or
// TestLamp{color, effect}, SubscribeStatus → StatusUpdate{status}; SessionInfo after login.
// Trace lines start with `kuandoconnector-config-log:`.
import { AppSocket, announceAlive, makeTrace, readStart } from "./innovaphone-connectorforkuando-appsocket.js";
import { textsFor } from "./innovaphone-connectorforkuando-config-texts.js";

const app = "innovaphone-connectorforkuando-config";
const states = ["ringing", "onthephone", "held", "busy", "away", "dnd", "lunch", "free"];
const effects = ["solid", "blink", "pulse", "off"];
// The hub's ring sounds, numbered as the hub numbers them (0 is silent).
const sounds = ["None", "Fairy Tale", "Funky", "Kuando Train", "Open Office", "Quiet", "Telephone Nordic", "Telephone Original", "Telephone Pick Me Up"];
const switches = ["showCallsOnHub", "showPresenceOnHub", "hubCallsToPBX", "hubPresenceToPBX"];

const trace = makeTrace("kuandoconnector-config-log:");
const start = readStart();
announceAlive();
const t = textsFor(start.lang);
const $ = (id) => document.getElementById(id);

/** The config as the service last confirmed it; rows that differ from it are tested by colour. */
let saved = null;

function say(key, values = {}) {
    return (t[key] || key).replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function applyTexts() {
    document.documentElement.lang = start.lang;
    for (const element of document.querySelectorAll("[data-text]")) element.textContent = say(element.dataset.text);
}

// MARK: lamp rows

function buildLampRows() {
    const rows = $("lampRows");
    for (const state of states) {
        const row = document.createElement("fieldset");
        row.className = "lamp-row";
        row.dataset.state = state;
        row.innerHTML = `
            <legend><span class="swatch" data-swatch></span><span>${say(`state_${state}`)}</span></legend>
            <label class="mini"><span>${say("color")}</span>
                <input type="color" data-field="lamp.${state}.color"></label>
            <label class="mini"><span>${say("effect")}</span>
                <select data-field="lamp.${state}.effect">${effects.map((e) => `<option value="${e}">${say(`effect_${e}`)}</option>`).join("")}</select></label>
            <label class="mini"><span>${say("sound")}</span>
                <select data-field="lamp.${state}.sound">${sounds.map((name, n) => `<option value="${n}">${n === 0 ? say("soundNone") : name}</option>`).join("")}</select></label>
            <label class="mini"><span>${say("volume")}</span>
                <input type="number" min="0" max="100" step="25" data-field="lamp.${state}.volume"></label>
            <button type="button" data-test-lamp="${state}">${say("testLamp")}</button>
            <span class="problem" data-problem="lamp.${state}"></span>`;
        row.addEventListener("input", () => paintSwatch(row));
        row.querySelector("[data-test-lamp]").addEventListener("click", () => testLamp(state, row));
        rows.append(row);
    }
}

function field(name) {
    return document.querySelector(`[data-field="${name}"]`);
}

/** Shows the row's colour and effect on its swatch; blink and pulse are CSS animations. */
function paintSwatch(row) {
    const state = row.dataset.state;
    const swatch = row.querySelector("[data-swatch]");
    const effect = field(`lamp.${state}.effect`).value;
    swatch.style.setProperty("--lamp", field(`lamp.${state}.color`).value);
    swatch.dataset.effect = effect;
    const appearance = saved?.lamp?.[state];
    if (appearance) {
        swatch.style.setProperty("--on", `${appearance.onTime / 10}s`);
        swatch.style.setProperty("--off", `${appearance.offTime / 10}s`);
    }
}

// MARK: form ↔ config

function showConfig(config) {
    saved = config;
    $("hubUrl").value = config.hubUrl;
    $("hubToken").value = config.hubToken;
    $("pollIntervalMs").value = config.pollIntervalMs;
    for (const name of switches) $(name).checked = config[name];
    for (const state of states) {
        const appearance = config.lamp[state];
        field(`lamp.${state}.color`).value = appearance.color.toLowerCase();
        field(`lamp.${state}.effect`).value = appearance.effect;
        field(`lamp.${state}.sound`).value = String(appearance.sound);
        field(`lamp.${state}.volume`).value = appearance.volume;
    }
    for (const row of document.querySelectorAll(".lamp-row")) paintSwatch(row);
}

function lampFromForm(state) {
    return {
        ...saved.lamp[state],
        color: field(`lamp.${state}.color`).value.toUpperCase(),
        effect: field(`lamp.${state}.effect`).value,
        sound: Number(field(`lamp.${state}.sound`).value),
        volume: Number(field(`lamp.${state}.volume`).value),
    };
}

function configFromForm() {
    const config = {
        hubUrl: $("hubUrl").value.trim(),
        hubToken: $("hubToken").value,
        pollIntervalMs: Number($("pollIntervalMs").value),
        lamp: {},
    };
    for (const name of switches) config[name] = $(name).checked;
    for (const state of states) config.lamp[state] = lampFromForm(state);
    return config;
}

/** Obvious mistakes, found before sending: `[{field, message}]` like the service's `problems`. */
function checkForm(config) {
    const problems = [];
    let url = null;
    try {
        url = new URL(config.hubUrl);
    } catch {
        url = null;
    }
    if (!url || !["http:", "https:"].includes(url.protocol) || !url.hostname) problems.push({ field: "hubUrl", message: say("problemUrl") });
    if (config.hubToken.length > 256 || /[^\x21-\x7e]/.test(config.hubToken)) problems.push({ field: "hubToken", message: say("problemToken") });
    if (!Number.isInteger(config.pollIntervalMs) || config.pollIntervalMs < 250 || config.pollIntervalMs > 60000) {
        problems.push({ field: "pollIntervalMs", message: say("problemPoll") });
    }
    for (const state of states) {
        const appearance = config.lamp[state];
        if (!/^#[0-9A-F]{6}$/.test(appearance.color)) problems.push({ field: `lamp.${state}.color`, message: say("problemColor") });
        if (!Number.isInteger(appearance.volume) || appearance.volume < 0 || appearance.volume > 100) {
            problems.push({ field: `lamp.${state}.volume`, message: say("problemVolume") });
        }
    }
    return problems;
}

/** Puts each problem next to its field (`lamp.busy.sound` goes to the busy row); returns the ones with no place. */
function showProblems(problems) {
    for (const element of document.querySelectorAll("[data-problem]")) element.textContent = "";
    for (const element of document.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
    const unplaced = [];
    for (const problem of problems) {
        const input = field(problem.field);
        const place = document.querySelector(`[data-problem="${problem.field}"]`)
            || document.querySelector(`[data-problem="${problem.field.split(".").slice(0, 2).join(".")}"]`);
        if (input) input.setAttribute("aria-invalid", "true");
        if (place) {
            const label = input && problem.field.startsWith("lamp.") ? `${input.closest("label").firstElementChild.textContent}: ` : "";
            place.textContent = [place.textContent, label + problem.message].filter(Boolean).join(" · ");
        } else {
            unplaced.push(problem);
        }
    }
    return unplaced;
}

function notice(element, kind, text) {
    element.hidden = false;
    element.dataset.kind = kind;
    element.className = `notice ${kind}`;
    element.textContent = text;
}

// MARK: actions

async function save() {
    const result = $("saveResult");
    if (!saved) return notice(result, "error", say("notConnected"));
    const config = configFromForm();
    const problems = checkForm(config);
    if (problems.length > 0) {
        showProblems(problems);
        trace(`not saved, ${problems.length} field(s) to correct`);
        return notice(result, "error", say("fixFirst"));
    }
    notice(result, "busy", say("saving"));
    try {
        const answer = await socket.request({ mt: "SetConfig", config });
        if (answer.ok) {
            showProblems([]);
            showConfig(answer.config);
            trace("saved");
            notice(result, "ok", say("saved"));
        } else {
            const unplaced = showProblems(answer.problems || []);
            const extra = unplaced.map((p) => `${p.field} ${p.message}`);
            trace(`not saved: ${answer.error}`);
            notice(result, "error", say("notSaved", { error: [answer.error, ...extra].filter(Boolean).join("; ") }));
        }
    } catch (error) {
        notice(result, "error", say("notSaved", { error: error.message }));
    }
}

async function testHub() {
    const box = $("testHubResult");
    box.hidden = false;
    box.dataset.ok = "";
    box.innerHTML = `<dt>${say("testing")}</dt>`;
    try {
        const r = await socket.request({ mt: "TestHub", hubUrl: $("hubUrl").value.trim(), hubToken: $("hubToken").value });
        const rows = [
            ["resultReachable", r.reachable ? say("yes") : say("no")],
            ["resultTransport", r.transport === "relay" ? say("transportRelay") : r.transport === "direct" ? say("transportDirect") : "–"],
        ];
        if (r.tokenAccepted !== undefined) rows.push(["resultToken", r.tokenAccepted ? say("tokenAccepted") : say("tokenRefused")]);
        if (r.lamps) rows.push(["resultLamps", r.lamps.length ? r.lamps.map((l) => l.model || l.path).join(", ") : say("noLamps")]);
        if (r.winner) rows.push(["resultWinner", winnerText(r.winner)]);
        if (r.error) rows.push(["resultError", r.error]);
        box.innerHTML = "";
        for (const [key, value] of rows) {
            const dt = document.createElement("dt");
            dt.textContent = say(key);
            const dd = document.createElement("dd");
            dd.dataset.result = key;
            dd.textContent = value;
            box.append(dt, dd);
        }
        box.dataset.ok = r.ok ? "true" : "false";
        trace(`hub test: ${r.ok ? "ok" : r.error}`);
    } catch (error) {
        box.innerHTML = "";
        box.dataset.ok = "false";
        const dd = document.createElement("dd");
        dd.textContent = error.message;
        box.append(dd);
    }
}

async function testLamp(state, row) {
    const place = row.querySelector("[data-problem]");
    const appearance = lampFromForm(state);
    const unchanged = JSON.stringify(appearance) === JSON.stringify(saved.lamp[state]);
    const request = unchanged ? { mt: "TestLamp", state } : { mt: "TestLamp", color: appearance.color, effect: appearance.effect };
    try {
        const answer = await socket.request(request);
        place.textContent = answer.ok ? say("lampTested") : answer.error;
        place.dataset.kind = answer.ok ? "ok" : "error";
    } catch (error) {
        place.textContent = error.message;
        place.dataset.kind = "error";
    }
}

// MARK: status panel

function winnerText(winner) {
    if (!winner || !winner.sender) return say("nothing");
    const event = [winner.eventType, winner.eventName].filter(Boolean).join(" / ");
    return `${event} ${say("fromApp", { app: winner.sender })}`.trim();
}

function showStatus(status) {
    $("statusCalls").textContent = status.calls.length
        ? status.calls.map((c) => `${c.direction} · ${c.phase}`).join(", ")
        : say("noCalls");
    const presence = status.pbxPresence || {};
    let presenceText = presence.activity ? presence.activity : say("presenceAvailable");
    if (presence.note) presenceText += ` (${presence.note})`;
    if (status.manualPresence) presenceText += ` ${say("manualPresence")}`;
    $("statusPresence").textContent = presenceText;
    $("statusHub").textContent = winnerText(status.hubWinner);
    $("statusShown").textContent = status.shownOnHub ? say(`state_${status.shownOnHub}`) : say("nothing");
    $("statusThirdParty").textContent = status.thirdPartyCall || "–";
    const transport = status.hubTransport === "relay" ? say("transportRelay") : status.hubTransport === "direct" ? say("transportDirect") : "";
    $("statusHubLink").textContent = `${status.hubReachable ? say("reachable") : say("unreachable")}${transport ? `, ${transport}` : ""}`;
    const errors = $("statusErrors");
    errors.innerHTML = "";
    for (const problem of status.lastErrors.length ? status.lastErrors : [{ message: say("noErrors") }]) {
        const item = document.createElement("li");
        item.textContent = problem.time ? `${new Date(problem.time).toLocaleTimeString(start.lang)} ${problem.message}` : problem.message;
        errors.append(item);
    }
    $("licence").hidden = status.licensed !== false;
}

// MARK: connection

function showConnection(state, detail) {
    const badge = $("connection");
    badge.dataset.state = state;
    switch (state) {
        case "connecting":
            badge.textContent = say("stateConnecting");
            break;
        case "connected":
            badge.textContent = say("stateConnected");
            $("user").textContent = say("userLine", detail.user || {});
            $("licence").hidden = detail.licensed !== false;
            loadAfterLogin();
            break;
        case "waiting":
            badge.textContent = say("stateWaiting", { seconds: Math.ceil(detail / 1000) });
            break;
        case "refused":
            badge.textContent = say("stateRefused", { reason: detail });
            break;
        case "outside-myapps":
            badge.textContent = say("stateOutside");
            break;
    }
}

/** After each login: the settings (the first time only, so a reconnect keeps unsaved edits) and the status. */
async function loadAfterLogin() {
    try {
        if (!saved) {
            const answer = await socket.request({ mt: "GetConfig" });
            showConfig(answer.config);
            document.body.dataset.loaded = "true";
        }
        const status = await socket.request({ mt: "SubscribeStatus" });
        if (status.status) showStatus(status.status);
    } catch (error) {
        trace(`loading the settings failed: ${error.message}`);
    }
}

const socket = AppSocket.forStart(start, {
    app,
    trace,
    onstate: showConnection,
    onmessage: (message) => {
        if (message.mt === "StatusUpdate" && message.status) showStatus(message.status);
        if (message.mt === "Trace") trace(String(message.line));
    },
});

applyTexts();
buildLampRows();
$("save").addEventListener("click", save);
$("testHub").addEventListener("click", testHub);
socket.start();

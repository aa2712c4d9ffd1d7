// The part both myApps apps share: where the service is, the myApps login (flow C), and the
// websocket to the service with reconnect. Everything the apps decide lives in the service;
// this file only moves messages.
//
// Login, as innovaphone's client library (Connection.js, lib1.js) does it inside myApps
// (docs/api.md, protocol notes §1.4 C and §3.2):
//   app → myApps   postMessage({mt:"Alive"})                           when the page loads
//   app → service  {mt:"AppChallenge"}            service → app  {mt:"AppChallengeResult", challenge}
//   app → myApps   postMessage({mt:"getLogin", app: <App object name>, challenge, src})
//   myApps → app   {mt:"Login", src?, domain, sip, guid, dn, pbxObj, app, info, digest, key}
//   app → service  {mt:"AppLogin", app (from Login), domain, sip, guid, dn, pbxObj, info, digest}
//   service → app  {mt:"AppLoginResult", ok:true}, then {mt:"SessionInfo", app, licensed, user}
// The App object's name is the `name` URL parameter myApps gives every app (the admin chooses it
// freely); only when myApps passes none is the page's own name asked for. A `Login` is taken
// when its `src` is ours, or, when it has no `src`, when its `pbxObj` names our App object.
// A lost or refused connection is tried again after 500 ms, doubling up to 32 s, as the
// innovaphone AppWebsocket client does; a successful login resets the delay.

/** Where the app runs: its language, the service's websocket URL, its App object's name and the other URL parameters. */
export function readStart(location = window.location, languages = navigator.languages || [navigator.language]) {
    const params = new URLSearchParams(location.search);
    // myApps passes the App object URL as `url`; the service is that page's directory.
    const page = new URL(params.get("url") || location.href, location.href);
    const directory = new URL(".", page);
    directory.protocol = directory.protocol === "https:" ? "wss:" : "ws:";
    const lang = (params.get("lang") || languages.find(Boolean) || "en").slice(0, 2).toLowerCase();
    const name = params.get("name") || null;
    return { lang, name, url: directory.href, originalUrl: page.href, args: params };
}

/** Tells myApps the app has loaded, as every innovaphone app does first (lib1's `Alive`). */
export function announceAlive() {
    if (window.parent !== window) postToParent({ mt: "Alive" });
}

/** Writes trace lines to the console, each starting with `prefix` (lines that have it already are kept as they are). */
export function makeTrace(prefix) {
    return (line) => console.log(line.startsWith(prefix) ? line : `${prefix} ${line}`);
}

/** Posts one window message to myApps (the parent window), as JSON text. */
export function postToParent(message) {
    window.parent.postMessage(JSON.stringify(message), "*");
}

/** Calls `handler(message)` for each JSON window message from the parent window (myApps). */
export function onParentMessage(handler) {
    window.addEventListener("message", (event) => {
        if (event.source !== window.parent || window.parent === window) return;
        let message;
        try {
            message = typeof event.data === "string" ? JSON.parse(event.data) : event.data;
        } catch {
            return;
        }
        if (message && typeof message.mt === "string") handler(message);
    });
}

/** The first delay before a reconnect and the longest one, in ms. */
export const backoff = { first: 500, longest: 32000 };

/**
 * The websocket to the service, logged in as a myApps app.
 *
 * `app` is the page's name, `name` the App object's (`start.name`); logins are asked for under
 * `name`, or under `app` when myApps gave no name.
 *
 * - `onstate(state, detail)`: "connecting", "connected" (detail: the SessionInfo), "waiting"
 *   (detail: ms until the next try), "refused" (detail: the reason), "outside-myapps".
 * - `onmessage(message)`: every message after the login that is not answered by `request`.
 */
export class AppSocket {
    constructor({ app, name = null, url, originalUrl = url, trace, onstate = () => {}, onmessage = () => {} }) {
        this.app = app;
        this.objectName = name || app;
        this.url = url;
        this.originalUrl = originalUrl;
        this.trace = trace;
        this.onstate = onstate;
        this.onmessage = onmessage;
        this.delay = backoff.first;
        this.socket = null;
        this.loggedIn = false;
        this.pending = new Map();
        this.nextSrc = 1;
        this.loginSrc = null;
        onParentMessage((message) => this.parentMessage(message));
    }

    /** The socket of the page `app` where myApps started it (`start` from `readStart()`). */
    static forStart(start, { app, trace, onstate, onmessage }) {
        return new AppSocket({ app, name: start.name, url: start.url, originalUrl: start.originalUrl, trace, onstate, onmessage });
    }

    start() {
        // The first line of the seed's troubleshooting trace: where the app looks for its service.
        this.trace(`start.url=${this.url} start.originalUrl=${this.originalUrl} start.name=${this.objectName}`);
        if (window.parent === window) {
            this.trace("not inside myApps: no one to ask for a login");
            this.onstate("outside-myapps");
            return;
        }
        this.connect();
    }

    connect() {
        this.loggedIn = false;
        this.onstate("connecting");
        this.trace(`connecting to ${this.url}`);
        const socket = new WebSocket(this.url);
        this.socket = socket;
        socket.onopen = () => this.sendRaw({ mt: "AppChallenge" });
        socket.onmessage = (event) => this.received(event.data);
        socket.onclose = () => {
            if (this.socket !== socket) return;
            this.socket = null;
            this.loggedIn = false;
            for (const [, answer] of this.pending) answer.reject(new Error("connection lost"));
            this.pending.clear();
            const wait = this.delay;
            this.delay = Math.min(this.delay * 2, backoff.longest);
            this.trace(`connection closed, next try in ${wait} ms`);
            this.onstate("waiting", wait);
            setTimeout(() => this.connect(), wait);
        };
    }

    get connected() {
        return this.loggedIn && this.socket !== null && this.socket.readyState === WebSocket.OPEN;
    }

    /** Sends a message when logged in; returns whether it went out. */
    send(message) {
        if (!this.connected) return false;
        this.sendRaw(message);
        return true;
    }

    /** Sends a request with a fresh `src`; resolves with the answer carrying that `src`. */
    request(message) {
        if (!this.connected) return Promise.reject(new Error("not connected"));
        const src = `q${this.nextSrc++}`;
        return new Promise((resolve, reject) => {
            this.pending.set(src, { resolve, reject });
            this.sendRaw({ ...message, src });
        });
    }

    sendRaw(message) {
        this.socket.send(JSON.stringify(message));
    }

    received(text) {
        let message;
        try {
            message = JSON.parse(text);
        } catch {
            this.trace("the service sent a frame that is not JSON; ignored");
            return;
        }
        switch (message.mt) {
            case "AppChallengeResult":
                this.loginSrc = `login${this.nextSrc++}`;
                postToParent({ mt: "getLogin", app: this.objectName, challenge: message.challenge, src: this.loginSrc });
                return;
            case "AppLoginResult":
                if (message.ok) {
                    this.loggedIn = true;
                    this.delay = backoff.first;
                    this.trace("logged in (Instance Connected)");
                } else {
                    this.trace("the service refused the login");
                    this.onstate("refused", message.errorText || "login refused");
                }
                return;
            case "SessionInfo":
                this.onstate("connected", message);
                return;
        }
        const answer = message.src !== undefined && this.pending.get(message.src);
        if (answer) {
            this.pending.delete(message.src);
            answer.resolve(message);
        } else {
            this.onmessage(message);
        }
    }

    parentMessage(message) {
        if (message.mt !== "Login" || this.loginSrc === null || !this.socket) return;
        const ours = message.src !== undefined ? message.src === this.loginSrc : message.pbxObj === this.objectName;
        if (!ours) return;
        this.loginSrc = null;
        if (message.error || message.errorText || !message.digest) {
            const reason = message.errorText || `myApps gave no login (${message.error || "no digest"})`;
            this.trace(`login failed: ${reason}`);
            this.onstate("refused", reason);
            this.socket.close();
            return;
        }
        const { app, domain, sip, guid, dn, info, digest } = message;
        const pbxObj = message.pbxObj || this.objectName;
        this.sendRaw({ mt: "AppLogin", app, domain, sip, guid, dn, pbxObj, info, digest });
    }
}

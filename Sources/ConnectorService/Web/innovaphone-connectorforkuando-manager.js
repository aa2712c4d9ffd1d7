// PBX Manager plugin "Connector for kuando": creates or updates the two App objects of the
// connector, optionally puts them into config templates, and sets the instance password.
//
// PBX Manager loads this file and calls `new plugin.innovaphone.connectorforkuando(start, item, app)`:
// `item.uri` is this file's URL without ".js", `item.ap` / `item.apUri` name the AP object, and
// `app` is an AppWebsocket connection to the PBX with PbxAdminApi. What the plugin sends:
//
//   1. PbxAdminApi GetAppObjects{uri}                  → the existing objects (matched by URL file name)
//      PbxAdminApi GetConfigObjects{}                  → the config templates, then GetObject{cn} for each (its `apps`)
//   2. per app, PbxAdminApi UpdateObject:
//      {mt:"UpdateObject", api:"PbxAdminApi", cn, h323, guid?, hide:true, pwd | copyPwd,
//       pseudo:{type:"app", app:{url, websocket, hidden, pbx, rcc, tableusers}}}
//        Connector for kuando         url …/innovaphone-connectorforkuando         websocket hidden pbx rcc tableusers
//        Connector for kuando config  url …/innovaphone-connectorforkuando-config  (no checkmarks: it only talks to the service)
//      The PBX connects to the service through the first one (WebSocket checkmark) and grants it
//      PbxApi, RCC and TableUsers. URLs are this plugin's directory + the htm name without ".htm",
//      as innovaphone App object URLs are written.
//   3. per ticked or unticked template, PbxAdminApi UpdateObject{cn, guid, apps:"a,b,…"} (the template's app list)
//   4. when no object of ours existed, com.innovaphone.manager SetInstancePassword{path, pwd} to the AP,
//      with the same random 16-character password the new objects got; otherwise the objects
//      copy the password of the existing one (copyPwd), and the instance keeps its password.
//
// Message building is in `plugin.innovaphone.connectorforkuando.messages` (pure functions, tested
// with node); the rest is a small form drawn with plain DOM.
var plugin = plugin || {};
plugin.innovaphone = plugin.innovaphone || {};

plugin.innovaphone.connectorforkuando = function (start, item, app) {
    var messages = plugin.innovaphone.connectorforkuando.messages;
    var texts = null;
    var objects = {};
    var templates = [];
    var pending = 0;
    var root = document.createElement("div");
    root.className = "item-node";
    root.style.cssText = "padding:10px; font:14px system-ui, sans-serif; max-width:640px";
    this.container = root;
    if (typeof this.createNode === "function") {
        this.createNode("div", null, null, "item-node");
        this.container.appendChild(root);
    }
    var managerApi = start.consumeApi("com.innovaphone.manager");
    var pbx = new app.Src(onPbx);

    innovaphone.lib1.loadObjectScript(item.uri + "texts", function () {
        var all = plugin.innovaphone.connectorforkuandotexts;
        texts = all[start.lang] || all.en;
        read();
    });

    function say(key) { return texts[key] || key; }

    function read() {
        objects = {};
        templates = [];
        root.textContent = say("loading");
        pbx.send({ mt: "GetAppObjects", api: "PbxAdminApi", uri: messages.directory(item.uri) });
    }

    function onPbx(msg) {
        if (msg.mt === "GetAppObjectsResult") {
            objects = messages.findObjects(msg.objects || []);
            pbx.send({ mt: "GetConfigObjects", api: "PbxAdminApi" });
        } else if (msg.mt === "GetConfigObjectsResult") {
            var names = (msg.objects || []).map(function (o) { return o.cn; });
            pending = names.length;
            if (pending === 0) draw();
            names.forEach(function (cn) { pbx.send({ mt: "GetObject", api: "PbxAdminApi", cn: cn }); });
        } else if (msg.mt === "GetObjectResult") {
            templates.push({ cn: msg.cn, guid: msg.guid, apps: msg.apps ? msg.apps.split(",") : [] });
            if (--pending === 0) draw();
        }
    }

    function draw() {
        root.textContent = "";
        var title = document.createElement("h2");
        title.textContent = say("title");
        root.appendChild(title);
        var hint = document.createElement("p");
        hint.textContent = say("namesFree");
        root.appendChild(hint);
        var inputs = {};
        messages.apps.forEach(function (definition) {
            var existing = objects[definition.key];
            var box = document.createElement("fieldset");
            var legend = document.createElement("legend");
            legend.textContent = say(definition.key);
            box.appendChild(legend);
            inputs[definition.key] = {
                cn: field(box, say("name"), existing ? existing.title : definition.cn),
                h323: field(box, say("sip"), existing ? existing.sip : definition.h323),
            };
            root.appendChild(box);
        });
        var ticks = templates.map(function (template) {
            var label = document.createElement("label");
            label.style.display = "block";
            var box = document.createElement("input");
            box.type = "checkbox";
            box.checked = messages.apps.every(function (a) {
                return template.apps.indexOf(inputs[a.key].h323.value) >= 0;
            });
            label.appendChild(box);
            label.appendChild(document.createTextNode(" " + say("template") + " " + template.cn));
            root.appendChild(label);
            return { template: template, box: box };
        });
        var status = document.createElement("p");
        var apply = document.createElement("button");
        apply.type = "button";
        apply.textContent = objects.hidden || objects.config ? say("update") : say("create");
        apply.onclick = function () { save(inputs, ticks, status); };
        root.appendChild(apply);
        root.appendChild(status);
    }

    function field(parent, text, value) {
        var label = document.createElement("label");
        label.style.cssText = "display:block; margin:4px 0";
        label.textContent = text + " ";
        var input = document.createElement("input");
        input.value = value;
        label.appendChild(input);
        parent.appendChild(label);
        return input;
    }

    function save(inputs, ticks, status) {
        var pwd = messages.randomPassword(16, function (bytes) { return crypto.getRandomValues(bytes); });
        var copyFrom = objects.hidden || objects.config;
        var queue = messages.apps.map(function (definition) {
            return messages.updateAppObject({
                definition: definition, pluginUri: item.uri, existing: objects[definition.key],
                cn: inputs[definition.key].cn.value, h323: inputs[definition.key].h323.value,
                pwd: pwd, copyPwd: copyFrom ? copyFrom.sip : null,
            });
        });
        var sips = messages.apps.map(function (definition) { return inputs[definition.key].h323.value; });
        ticks.forEach(function (tick) {
            var update = messages.templateUpdate(tick.template, sips, tick.box.checked);
            if (update) queue.push(update);
        });
        status.textContent = say("saving");
        var src = new app.Src(function (msg) {
            if (msg.error) {
                status.textContent = say("failed") + " " + (msg.errorText || msg.error);
                src.close();
                return;
            }
            next();
        });
        function next() {
            if (queue.length > 0) return src.send(queue.shift());
            src.close();
            if (copyFrom) return read();
            var password = new managerApi.Src(function () {
                password.close();
                read();
            });
            password.send(messages.setInstancePassword(item.apUri, pwd), item.ap);
        }
        next();
    }
};

if (typeof innovaphone !== "undefined" && innovaphone.ui1 && innovaphone.ui1.nodePrototype) {
    plugin.innovaphone.connectorforkuando.prototype = innovaphone.ui1.nodePrototype;
}

/** What the plugin sends, as pure functions of their inputs. */
plugin.innovaphone.connectorforkuando.messages = {
    /** The two App objects: the htm each opens, default names, and the checkmarks. */
    apps: [
        {
            key: "hidden", file: "innovaphone-connectorforkuando", cn: "Connector for kuando", h323: "connectorforkuando",
            checkmarks: { websocket: true, hidden: true, pbx: true, rcc: true, tableusers: true },
        },
        {
            key: "config", file: "innovaphone-connectorforkuando-config", cn: "Connector for kuando config", h323: "connectorforkuando-config",
            checkmarks: { websocket: false, hidden: false, pbx: false, rcc: false, tableusers: false },
        },
    ],

    /** The directory of a URL, without the trailing slash: ".../kuando/x" → ".../kuando". */
    directory: function (uri) {
        return uri.slice(0, uri.lastIndexOf("/"));
    },

    /** Our existing objects among PbxAdminApi GetAppObjects' `objects`, by the file name of their URL. */
    findObjects: function (list) {
        var found = {};
        this.apps.forEach(function (definition) {
            list.forEach(function (object) {
                var file = (object.url || "").split("?")[0].split("/").pop().replace(/\.htm$/, "");
                if (file === definition.file) found[definition.key] = object;
            });
        });
        return found;
    },

    /** PbxAdminApi UpdateObject for one App object (creates it when `existing` is absent). */
    updateAppObject: function (options) {
        var definition = options.definition;
        var appObject = { url: this.directory(options.pluginUri) + "/" + definition.file };
        for (var key in definition.checkmarks) appObject[key] = definition.checkmarks[key];
        var message = {
            mt: "UpdateObject", api: "PbxAdminApi",
            cn: options.cn.trim(), h323: options.h323.trim(), hide: true,
            pseudo: { type: "app", app: appObject },
        };
        if (options.existing && options.existing.guid) message.guid = options.existing.guid;
        if (options.copyPwd) message.copyPwd = options.copyPwd;
        else message.pwd = options.pwd;
        return message;
    },

    /** PbxAdminApi UpdateObject of a config template so its `apps` hold (or lack) our SIPs; null when nothing changes. */
    templateUpdate: function (template, sips, selected) {
        var apps = template.apps.filter(function (sip) { return sips.indexOf(sip) < 0; });
        if (selected) apps = apps.concat(sips);
        var before = template.apps.slice().sort().join(",");
        if (apps.slice().sort().join(",") === before) return null;
        return { mt: "UpdateObject", api: "PbxAdminApi", cn: template.cn, guid: template.guid, apps: apps.join(",") };
    },

    /** com.innovaphone.manager SetInstancePassword for the instance behind the AP URL. */
    setInstancePassword: function (apUri, pwd) {
        return { mt: "SetInstancePassword", path: this.directory(apUri), pwd: pwd };
    },

    /** A random password of `length` letters and digits; `fill(Uint8Array)` supplies random bytes. */
    randomPassword: function (length, fill) {
        var alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var bytes = fill(new Uint8Array(length));
        var password = "";
        for (var i = 0; i < length; i++) password += alphabet[bytes[i] % alphabet.length];
        return password;
    },
};

if (typeof module !== "undefined" && module.exports) module.exports = plugin.innovaphone.connectorforkuando.messages;

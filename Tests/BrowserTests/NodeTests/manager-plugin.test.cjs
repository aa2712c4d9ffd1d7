// Message building of the PBX Manager plugin; run by ManagerPluginTests.swift with `node --test`.
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const messages = require(path.join(__dirname, "../../../Sources/ConnectorService/Web/innovaphone-connectorforkuando-manager.js"));

const pluginUri = "https://ap.example.com/example.com/kuando/innovaphone-connectorforkuando-manager";
const [hidden, config] = messages.apps;

test("a new background app object gets its URL, the hidden and API checkmarks and the new password", () => {
    const message = messages.updateAppObject({ definition: hidden, pluginUri, cn: " Connector for kuando ", h323: "kuando", pwd: "p4ssw0rdp4ssw0rd" });
    assert.deepEqual(message, {
        mt: "UpdateObject", api: "PbxAdminApi", cn: "Connector for kuando", h323: "kuando", hide: true, pwd: "p4ssw0rdp4ssw0rd",
        pseudo: { type: "app", app: {
            url: "https://ap.example.com/example.com/kuando/innovaphone-connectorforkuando",
            websocket: true, hidden: true, pbx: true, rcc: true, tableusers: true,
        } },
    });
});

test("the config app object has no checkmarks and, when one exists, is updated by guid copying its password", () => {
    const message = messages.updateAppObject({
        definition: config, pluginUri, existing: { guid: "abc", sip: "kuando-config" }, cn: "Kuando config", h323: "kuando-config",
        pwd: "unused", copyPwd: "kuando",
    });
    assert.equal(message.guid, "abc");
    assert.equal(message.copyPwd, "kuando");
    assert.equal(message.pwd, undefined);
    assert.deepEqual(message.pseudo.app, {
        url: "https://ap.example.com/example.com/kuando/innovaphone-connectorforkuando-config",
        websocket: false, hidden: false, pbx: false, rcc: false, tableusers: false,
    });
});

test("existing objects are recognised by the file name of their URL", () => {
    const found = messages.findObjects([
        { sip: "other", url: "https://ap/x/other/innovaphone-other" },
        { sip: "k", url: "https://ap/x/kuando/innovaphone-connectorforkuando" },
        { sip: "kc", url: "https://ap/x/kuando/innovaphone-connectorforkuando-config.htm" },
    ]);
    assert.equal(found.hidden.sip, "k");
    assert.equal(found.config.sip, "kc");
});

test("a ticked template gains both SIPs, an unticked one loses them, an unchanged one is left alone", () => {
    const sips = ["kuando", "kuando-config"];
    assert.deepEqual(messages.templateUpdate({ cn: "Staff", guid: "g1", apps: ["contacts"] }, sips, true),
        { mt: "UpdateObject", api: "PbxAdminApi", cn: "Staff", guid: "g1", apps: "contacts,kuando,kuando-config" });
    assert.deepEqual(messages.templateUpdate({ cn: "Staff", guid: "g1", apps: ["kuando", "contacts", "kuando-config"] }, sips, false),
        { mt: "UpdateObject", api: "PbxAdminApi", cn: "Staff", guid: "g1", apps: "contacts" });
    assert.equal(messages.templateUpdate({ cn: "Staff", guid: "g1", apps: ["kuando-config", "kuando"] }, sips, true), null);
    assert.equal(messages.templateUpdate({ cn: "Staff", guid: "g1", apps: [] }, sips, false), null);
});

test("the instance password goes to the AP object's directory", () => {
    assert.deepEqual(messages.setInstancePassword("https://ap.example.com/example.com/kuando/innovaphone-connectorforkuando-manager", "pw"),
        { mt: "SetInstancePassword", path: "https://ap.example.com/example.com/kuando", pwd: "pw" });
});

test("random passwords have the length asked for and come from the random bytes", () => {
    const zeros = messages.randomPassword(16, (bytes) => bytes);
    assert.equal(zeros.length, 16);
    assert.equal(new Set(zeros).size, 1);
    const counting = messages.randomPassword(16, (bytes) => bytes.map((_, i) => i));
    assert.equal(new Set(counting).size, 16);
});

// Texts of the PBX Manager plugin (innovaphone-connectorforkuando-manager.js), English and German.
var plugin = plugin || {};
plugin.innovaphone = plugin.innovaphone || {};
plugin.innovaphone.connectorforkuandotexts = {
    en: {
        title: "Connector for kuando",
        loading: "Reading the App objects…",
        hidden: "Connector for kuando (background app)",
        config: "Connector for kuando config",
        name: "Name",
        sip: "SIP",
        namesFree: "Name and SIP are yours to choose: the apps find their objects by their URLs.",
        template: "Add to config template",
        create: "Create App objects",
        update: "Update App objects",
        saving: "Saving…",
        failed: "The PBX refused the change:",
    },
    de: {
        title: "Connector for kuando",
        loading: "App-Objekte werden gelesen…",
        hidden: "Connector for kuando (Hintergrund-App)",
        config: "Connector for kuando config",
        name: "Name",
        sip: "SIP",
        namesFree: "Name und SIP sind frei wählbar: Die Apps finden ihre Objekte über die URL.",
        template: "Zur Konfigurationsvorlage hinzufügen",
        create: "App-Objekte anlegen",
        update: "App-Objekte aktualisieren",
        saving: "Wird gespeichert…",
        failed: "Die PBX hat die Änderung abgelehnt:",
    },
};

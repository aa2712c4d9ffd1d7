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
        template: "Zur Konfigurationsvorlage hinzufügen",
        create: "App-Objekte anlegen",
        update: "App-Objekte aktualisieren",
        saving: "Wird gespeichert…",
        failed: "Die PBX hat die Änderung abgelehnt:",
    },
};

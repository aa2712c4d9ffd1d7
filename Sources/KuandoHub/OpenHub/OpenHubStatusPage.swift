/// The live page at `/status`: it polls `/status.json` every second and draws each lamp and
/// the priority stack. It passes on its own `accesstoken` query parameter, so a remote viewer
/// opens `/status?accesstoken=…`.
enum OpenHubStatusPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>kuando hub</title>
        <style>
          body { font: 15px/1.4 system-ui, sans-serif; margin: 2em; color: #222; background: #fafafa; }
          h1 { font-size: 1.3em; } h2 { font-size: 1.05em; margin-top: 1.6em; }
          .lamps { display: flex; flex-wrap: wrap; gap: 1.5em; }
          .lamp { text-align: center; width: 11em; }
          .bulb { width: 5em; height: 5em; border-radius: 50%; margin: 0 auto .4em; border: 2px solid #999;
                  background: #333; box-shadow: 0 0 1.5em var(--glow, transparent); }
          .blink .bulb { animation: blink 1s steps(1) infinite; }
          .pulse .bulb, .alert .bulb { animation: pulse 1.6s ease-in-out infinite; }
          @keyframes blink { 50% { background: #333; box-shadow: none; } }
          @keyframes pulse { 50% { opacity: .35; } }
          table { border-collapse: collapse; } td, th { padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: left; }
          .win { font-weight: bold; background: #e8f5e9; } .off { color: #999; }
          .swatch { display: inline-block; width: .9em; height: .9em; border-radius: 50%; vertical-align: middle; border: 1px solid #999; }
          #error { color: #b00; }
        </style>
        </head>
        <body>
        <h1>kuando hub</h1>
        <p id="error"></p>
        <h2>Lamps</h2>
        <div class="lamps" id="lamps"></div>
        <h2>Priorities <small>(highest first)</small></h2>
        <table><thead><tr><th>#</th><th>data source</th><th>asks for</th><th></th></tr></thead><tbody id="priorities"></tbody></table>
        <div id="extra"></div>
        <script>
        const token = new URLSearchParams(location.search).get("accesstoken");
        const source = "status.json" + (token ? "?accesstoken=" + encodeURIComponent(token) : "");
        const text = s => String(s ?? "").replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
        const css = c => c ? `rgb(${Math.round(c.red * 2.55)},${Math.round(c.green * 2.55)},${Math.round(c.blue * 2.55)})` : "#333";
        const ask = c => `<span class="swatch" style="background:${css(c.color)}"></span> ${text(c.action)} ` +
          `${text([c.eventType, c.eventName].filter(Boolean).join(" / "))}${c.path ? " on " + text(c.path) : ""}`;
        function draw(s) {
          document.getElementById("lamps").innerHTML = s.lamps.length ? s.lamps.map(l =>
            `<div class="lamp ${text(l.effect)}"><div class="bulb" style="background:${css(l.color)};--glow:${css(l.color)}"></div>` +
            `${text(l.model)}<br><small>${text(l.path)}</small><br>${text(l.effect)}${l.sender ? " · " + text(l.sender) : ""}</div>`
          ).join("") : "<p class=off>no lamp connected</p>";
          document.getElementById("priorities").innerHTML = s.priorities.map(p =>
            `<tr class="${p.claims.some(c => c.winning) ? "win" : ""} ${p.enabled ? "" : "off"}"><td>${p.rank}</td>` +
            `<td>${text(p.sender)}${p.eventType ? " (" + text(p.eventType) + ")" : ""}</td>` +
            `<td>${p.claims.map(ask).join("<br>") || "<span class=off>nothing</span>"}</td>` +
            `<td>${p.claims.some(c => c.winning) ? "wins" : ""}</td></tr>`).join("");
          const extra = [];
          if (s.notifications.length) extra.push("<h2>Notifications (shown over the winner)</h2>" + s.notifications.map(c => text(c.sender) + ": " + ask(c)).join("<br>"));
          if (s.unranked.length) extra.push("<h2>Not shown: no priority line</h2>" + s.unranked.map(c => text(c.sender) + ": " + ask(c)).join("<br>"));
          document.getElementById("extra").innerHTML = extra.join("");
        }
        async function poll() {
          try {
            const reply = await fetch(source, {cache: "no-store"});
            if (!reply.ok) throw new Error("status.json answered " + reply.status);
            draw(await reply.json());
            document.getElementById("error").textContent = "";
          } catch (e) {
            document.getElementById("error").textContent = "hub not answering: " + e.message;
          }
          setTimeout(poll, 1000);
        }
        poll();
        </script>
        </body>
        </html>
        """
}

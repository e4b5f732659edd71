// eventledger web app: the maps. Everything else works without JavaScript.
// Untrusted text (place names, event fields) only ever enters the page as textContent.
(function () {
  "use strict";
  var COLORS = {
    COERCE: "#c0392b", MOBILIZE: "#8e44ad", PROTEST: "#2471a3", ASSAULT: "#7b241c", ACCUSE: "#b9770e",
    SANCTION: "#117a65", REQUEST: "#2e86c1", THREATEN: "#d35400", RETREAT: "#5d6d7e", REJECT: "#a04000"
  };
  function color(type) { return COLORS[type] || "#28b463"; }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value == null ? "" : String(value);
    if (cls) { el.className = cls; }
    return el;
  }

  function popup(p) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var a = text("a", (p.date || "undated") + " " + p.type + (p.mode ? " / " + p.mode : ""));
    a.href = "/events/" + encodeURIComponent(p.id);
    box.appendChild(a);
    box.appendChild(document.createElement("br"));
    box.appendChild(text("span", p.place || ""));
    return box;
  }

  function note(el, message) {
    el.textContent = "";
    el.appendChild(text("p", message, "note"));
  }

  function baseMap(el) {
    var map = window.L.map(el, { scrollWheelZoom: false, worldCopyJump: true, minZoom: 2, maxZoom: 18 });
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      window.L.tileLayer(tiles, { maxZoom: 18, attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
    }
    return map;
  }

  function eventsMap(el) {
    var src = el.getAttribute("data-src");
    var map = baseMap(el);
    map.setView([39.5, -98.35], 4);
    fetch(src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (geo) {
        var group = window.L.markerClusterGroup ? window.L.markerClusterGroup({ chunkedLoading: true }) : window.L.featureGroup();
        geo.features.forEach(function (f) {
          var c = f.geometry.coordinates;
          var m = window.L.circleMarker([c[1], c[0]], {
            radius: 7, color: "#222", weight: 1, fillColor: color(f.properties.type), fillOpacity: 0.85
          });
          m.bindPopup(popup(f.properties));
          group.addLayer(m);
        });
        map.addLayer(group);
        el.setAttribute("data-markers", String(geo.features.length));
        if (geo.features.length) {
          var b = group.getBounds();
          if (b.isValid()) { map.fitBounds(b.pad(0.2), { maxZoom: 10 }); }
        }
      })
      .catch(function (e) { note(el, "Map data could not be loaded (" + String((e && e.message) || e) + ")."); });
  }

  function pointMap(el) {
    var lat = parseFloat(el.getAttribute("data-lat"));
    var lon = parseFloat(el.getAttribute("data-lon"));
    if (!isFinite(lat) || !isFinite(lon)) { return; }
    var map = baseMap(el);
    map.setView([lat, lon], 10);
    window.L.circleMarker([lat, lon], { radius: 8, color: "#222", weight: 1, fillColor: "#c0392b", fillOpacity: 0.9 })
      .bindPopup(text("span", el.getAttribute("data-label") || "")).addTo(map);
    el.setAttribute("data-markers", "1");
  }

  function init() {
    var maps = document.querySelectorAll(".map");
    if (!maps.length) { return; }
    if (!window.L) {
      maps.forEach(function (el) { if (!el.querySelector(".note")) { note(el, "Map unavailable: the map library did not load."); } });
      return;
    }
    maps.forEach(function (el) {
      if (el.hasAttribute("data-lat")) { pointMap(el); } else if (el.getAttribute("data-src")) { eventsMap(el); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());

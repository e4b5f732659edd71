// eventledger web app: the maps. Everything else works without JavaScript.
// Untrusted text (place names, event fields) only ever enters the page as textContent.
// The basemap is drawn from files served by this app (state and country outlines, TopoJSON
// from the us-atlas and world-atlas packages, see scripts/build-web.sh): no tile server is
// needed; tiles are added on top only when a tile URL is configured.
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

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); });
  }

  // A pop-up: the event's headline (asked of the API when first opened) linking to its page,
  // its place, and the PLOVER code small.
  function popup(p) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var a = text("a", (p.date || "undated") + " " + p.type + (p.mode ? " / " + p.mode : ""), "headline");
    a.href = "/events/" + encodeURIComponent(p.id);
    box.appendChild(a);
    if (p.review === "rejected") { box.appendChild(text("span", " (rejected)", "rejected")); }
    box.appendChild(document.createElement("br"));
    box.appendChild(text("span", p.place || ""));
    box.appendChild(text("span", " " + p.type + (p.mode ? " " + p.mode : ""), "plover"));
    var asked = false;
    return function () {
      if (!asked) {
        asked = true;
        getJSON("/api/events/" + encodeURIComponent(p.id))
          .then(function (rec) { if (rec.headline) { a.textContent = rec.headline; } })
          .catch(function () { asked = false; });
      }
      return box;
    };
  }

  var outlines = null;  // the outline files, fetched once per page
  function drawOutlines(map, el) {
    if (!window.topojson) { el.setAttribute("data-outlines", "0"); return; }
    outlines = outlines || Promise.all([
      getJSON("/static/vendor/outlines/countries-110m.json"),
      getJSON("/static/vendor/outlines/states-10m.json")
    ]);
    map.createPane("outlines");
    map.getPane("outlines").style.zIndex = 250;  // above tiles (200), below markers (400)
    var renderer = window.L.svg({ pane: "outlines" });
    outlines.then(function (topo) {
      var countries = window.topojson.feature(topo[0], topo[0].objects.countries);
      var states = window.topojson.feature(topo[1], topo[1].objects.states);
      var style = { pane: "outlines", renderer: renderer, interactive: false };
      window.L.geoJSON(countries, Object.assign({ style: { color: "#8a94a3", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 } }, style)).addTo(map);
      window.L.geoJSON(states, Object.assign({ style: { color: "#a3acb8", weight: 0.6, fill: false } }, style)).addTo(map);
      el.setAttribute("data-outlines", String(countries.features.length + states.features.length));
    }).catch(function (e) {
      el.setAttribute("data-outlines", "0");
      el.setAttribute("data-outline-error", String((e && e.message) || e));
    });
  }

  // How many of the listed events the map cannot place, said under it.
  function sayUnplaced(el, geo) {
    var none = geo.no_place || 0, nocoord = geo.no_coordinates || 0, n = none + nocoord;
    var old = el.parentNode && el.parentNode.querySelector(".map-unplaced");
    if (old) { old.parentNode.removeChild(old); }
    if (!n || !el.parentNode) { return; }
    var parts = [];
    if (none) { parts.push(none + (none === 1 ? " names no place" : " name no place")); }
    if (nocoord) { parts.push(nocoord + (nocoord === 1 ? " names a place without coordinates" : " name a place without coordinates")); }
    var p = text("p", n + (n === 1 ? " event has" : " events have") + " no coordinates and " + (n === 1 ? "is" : "are") +
      " not on the map (" + parts.join(", ") + "); the list has " + (n === 1 ? "it" : "them") + ".", "map-unplaced muted");
    el.parentNode.insertBefore(p, el.nextSibling);
  }

  function note(el, message) {
    el.textContent = "";
    el.appendChild(text("p", message, "note"));
  }

  function baseMap(el) {
    var map = window.L.map(el, { scrollWheelZoom: false, worldCopyJump: true, minZoom: 2, maxZoom: 18 });
    drawOutlines(map, el);
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
    getJSON(src)
      .then(function (geo) {
        var group = window.L.markerClusterGroup ? window.L.markerClusterGroup({ chunkedLoading: true }) : window.L.featureGroup();
        geo.features.forEach(function (f) {
          var c = f.geometry.coordinates;
          var rejected = f.properties.review === "rejected";
          var m = window.L.circleMarker([c[1], c[0]], {
            radius: 7, color: "#222", weight: 1, fillColor: rejected ? "#bbb" : color(f.properties.type),
            fillOpacity: rejected ? 0.5 : 0.85, dashArray: rejected ? "2 2" : null
          });
          m.bindPopup(popup(f.properties));
          group.addLayer(m);
        });
        map.addLayer(group);
        el.setAttribute("data-markers", String(geo.features.length));
        el.setAttribute("data-unplaced", String((geo.no_place || 0) + (geo.no_coordinates || 0)));
        sayUnplaced(el, geo);
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
    map.setView([lat, lon], el.getAttribute("data-tiles") ? 10 : 6);  // the outlines alone say little closer in
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

/* Carte des Possibles: initiative markers, popups built on click, legend. Needs Leaflet and
 * Leaflet.markercluster. Every text from the data goes through esc(); only http(s) URLs become links. */
(function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  function safeUrl(url) {
    return /^https?:\/\/[^\s"'<>]+$/i.test(url || "") ? url : "";
  }

  function symbol(style, approximate) {
    return '<span class="carte-symbol' + (approximate ? " carte-approx" : "") + '" style="background:' +
      esc(style.color) + '">' + style.svg + "</span>";
  }

  function directionsUrl(p, from) {
    var route = (from ? from[0] + "," + from[1] : "") + ";" + p.lat + "," + p.lon;
    return "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route=" + encodeURIComponent(route);
  }

  function popup(p, style, texts, from) {
    var html = '<div class="carte-popup"><div class="carte-popup-head">' + symbol(style, p.x) +
      "<div><strong>" + esc(p.n) + '</strong><div class="carte-muted">' + esc(style.label) + "</div></div></div>";
    if (p.x) html += '<div class="carte-badge" title="' + esc(p.ql) + '">' + esc(texts.approximate) + " (" + esc(p.ql) + ")</div>";
    if (p.dk != null) html += '<div class="carte-distance">' + esc(p.dk) + "</div>";
    if (p.w) html += '<div class="carte-award">' + esc(texts.award) + " : " + esc(p.w) + "</div>";
    if (p.a) html += '<div class="carte-address">' + esc(p.a) + "</div>";
    if (p.d) html += "<p>" + esc(p.d) + "</p>";
    if (p.h) html += '<div class="carte-muted">' + esc(texts.hours) + " : " + esc(p.h) + "</div>";
    if (p.t) html += '<div class="carte-themes">' + esc(p.t) + "</div>";
    var links = ['<a href="' + esc(directionsUrl(p, from)) + '" target="_blank" rel="noopener">' + esc(texts.directions) + "</a>"];
    if (safeUrl(p.u)) links.push('<a href="' + esc(p.u) + '" target="_blank" rel="noopener nofollow">' + esc(texts.website) + "</a>");
    html += '<div class="carte-links">' + links.join(" · ") + "</div>";
    html += '<div class="carte-source">' + esc(texts.source) + " : " + esc(p.s) + "</div></div>";
    return html;
  }

  var loading = {};

  /* Details of marker i: inline, or fetched (and kept) from the chunk file that holds its row. */
  function withDetails(data, i, callback) {
    if (data.details) return callback(data.details[i]);
    var row = data.markers.r[i], chunk = Math.floor(row / 500);
    var url = data.detailsUrl + "/" + chunk + ".json";
    if (!loading[url]) loading[url] = fetch(url).then(function (r) { return r.json(); });
    loading[url].then(function (records) { callback(records[row % 500]); },
      function () { callback({}); });
  }

  function addInitiatives(parent, data, options) {
    options = options || {};
    var icons = {}, m = data.markers;
    function iconFor(category, approximate) {
      var key = category + (approximate ? "~" : "");
      if (!icons[key]) {
        icons[key] = L.divIcon({
          className: "carte-marker", html: symbol(data.styles[category], approximate),
          iconSize: [30, 30], iconAnchor: [15, 15], popupAnchor: [0, -14], tooltipAnchor: [14, 0]
        });
      }
      return icons[key];
    }
    function drawn() { window.carteDrawn = performance.now(); }  // read by the benchmark
    var group = options.cluster
      ? L.markerClusterGroup({
          // Chunks keep a huge layer from freezing the page; below that, one pass is faster.
          chunkedLoading: m.lat.length > 20000, showCoverageOnHover: false, maxClusterRadius: 40,
          chunkProgress: function (done, total) { if (done === total) drawn(); }
        })
      : L.featureGroup();
    var markers = new Array(m.lat.length);
    for (var i = 0; i < m.lat.length; i++) {
      var marker = L.marker([m.lat[i], m.lon[i]], { icon: iconFor(m.c[i], m.x[i]), title: m.n[i], alt: m.n[i] });
      marker.index = i;
      marker.bindPopup("…", { maxWidth: 320, autoPanPadding: [20, 20] });
      markers[i] = marker;
    }
    group.on("popupopen", function (event) {
      var marker = event.popup._source, i = marker.index;
      withDetails(data, i, function (details) {
        var p = Object.assign({ n: m.n[i], x: m.x[i], lat: m.lat[i], lon: m.lon[i] }, details);
        event.popup.setContent(popup(p, data.styles[m.c[i]], data.texts, data.from));
      });
    });
    if (options.cluster) group.addLayers(markers); else markers.forEach(function (mk) { group.addLayer(mk); });
    if (!options.cluster || m.lat.length <= 20000) drawn();
    parent.addLayer(group);
    if (options.flyTo) {  // the guided tour: fly to the stop once the layer is on its map
      var fly = function (map) { map.flyTo([options.flyTo[0], options.flyTo[1]], options.flyTo[2], { duration: 1.5 }); };
      if (parent._map || parent instanceof L.Map) fly(parent._map || parent);
      else parent.once("add", function (event) { fly(event.target._map); });
    }
    if (data.from) {
      L.circleMarker(data.from, { radius: 9, color: "#fff", weight: 3, fillColor: "#1f6feb", fillOpacity: 1 })
        .bindTooltip(esc(data.texts.start)).addTo(parent);
    }
    return group;
  }

  function addLegend(map, data) {
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "carte-legend");
      var rows = data.styles.map(function (style) {
        return "<div>" + symbol(style, false) + "<span>" + esc(style.label) + "</span></div>";
      });
      var any = data.styles[0];
      rows.push('<div class="carte-legend-approx">' + symbol({ color: "#888", svg: any.svg }, true) +
        "<span>" + esc(data.texts.approximate) + "</span></div>");
      var open = map.getSize().x >= 720 ? " open" : "";
      div.innerHTML = "<details" + open + "><summary>" + esc(data.texts.legend) + "</summary>" + rows.join("") + "</details>";
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    legend.addTo(map);
    return legend;
  }

  window.Carte = { addInitiatives: addInitiatives, addLegend: addLegend, escape: esc };
})();

/* Carte des Possibles: the initiatives' markers (clustered or not), wired to their cards, the badges, the
 * keyboard and the view. Needs Leaflet, Leaflet.markercluster and the other carte-*.js files, loaded before it in
 * the map's one script (geo/webmap/assets.py). */
(function (C) {
  "use strict";
  var esc = C.esc, symbol = C.symbol, STILL = C.STILL, whenOnMap = C.whenOnMap, POPUP = C.POPUP, popup = C.popup,
      withDetails = C.withDetails, enter = C.enter, leave = C.leave, fit = C.fit, show = C.show;
  /* A published layer's marker columns, fetched once per version and kept while it is the one drawn (asked again
   * at the next drawing after a failure). */
  var layers = {};
  function columnsOf(url) {
    if (!layers[url]) {
      layers = {};
      layers[url] = fetch(url).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
      layers[url].catch(function () { delete layers[url]; });
    }
    return layers[url];
  }
  /* The rows a mask selects (row i is bit i % 8 of byte i // 8, in base64), as marker columns of their own. */
  function selected(all, mask) {
    var bytes = atob(mask), rows = [], out = {};
    for (var b = 0; b < bytes.length; b++) {
      var byte = bytes.charCodeAt(b);
      for (var bit = 0; byte && bit < 8; bit++) if (byte & (1 << bit)) rows.push(b * 8 + bit);
    }
    Object.keys(all).forEach(function (k) {
      var column = all[k];
      out[k] = rows.map(function (row) { return column[row]; });
    });
    return out;
  }
  /* streamlit-folium keeps every feature group it ever drew in window.feature_group (each with all its markers):
   * the ones it has taken off the map are let go. */
  function forgetRemovedGroups() {
    if (window.feature_group) window.feature_group = window.feature_group.filter(function (g) { return g._map; });
  }
  function said(map) {
    var box = map.getContainer().querySelector(".carte-map-problem");
    if (box) box.remove();
  }
  function failed(parent, texts) {
    whenOnMap(parent, function (map) {
      said(map);
      var box = L.DomUtil.create("div", "carte-map-problem", map.getContainer());
      box.setAttribute("role", "alert");
      box.textContent = texts.unloaded;
    });
  }

  /* Draw the initiatives: their marker columns are in ``data.markers``, or in the published layer file
   * ``data.markersUrl`` with the rows to draw as a mask (a large selection: fetched once, kept across filters).
   * The whole of ``data`` may itself be a published file, ``data.url`` (named by its content: the browser keeps
   * it, and the page's WebSocket does not carry it). */
  function addInitiatives(parent, data, options) {
    forgetRemovedGroups();
    if (data.url) {
      fetch(data.url).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (full) { addInitiatives(parent, full, options); }, function () { failed(parent, data.texts); });
      return;
    }
    if (!data.markersUrl) return draw(parent, data, options);
    columnsOf(data.markersUrl).then(function (all) {
      data.markers = selected(all, data.rows);
      draw(parent, data, options);
    }, function () { failed(parent, data.texts); });
  }

  function draw(parent, data, options) {
    options = options || {};
    var icons = {}, m = data.markers;
    function iconFor(category, approximate, ended) {
      var key = category + (approximate ? "~" : "") + (ended ? "!" : "");
      if (!icons[key]) {
        icons[key] = L.divIcon({
          className: "carte-marker", html: symbol(data.styles[category], approximate, ended),
          iconSize: [30, 30], iconAnchor: [15, 15], popupAnchor: [0, -14], tooltipAnchor: [14, 0]
        });
      }
      return icons[key];
    }
    /* What a screen reader says of a marker: its name, category, and whether it has ended or is approximate. */
    function labelOf(i) {
      return m.n[i] + " — " + data.styles[m.c[i]].label + (m.e && m.e[i] ? ", " + data.texts.ended : "") +
        (m.x[i] ? ", " + data.texts.approximate : "");
    }
    /* A cluster says what it is and how to open it; its figure stays visible. */
    function clusterIcon(n) {
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      return L.divIcon({ className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40),
        html: "<div><span>" + n + '</span><span class="carte-sr"> ' + esc(data.texts.cluster) + "</span></div>" });
    }
    var badged = {};
    (data.badges || []).forEach(function (b) { b.rows.forEach(function (i) { badged[i] = true; }); });
    function card(i, callback) {
      withDetails(data, i, function (details) {
        var p = Object.assign({ n: m.n[i], x: m.x[i], lat: m.lat[i], lon: m.lon[i], k: badged[i] }, details);
        callback(popup(p, data.styles[m.c[i]], data.texts, data.from));
      });
    }
    function markerOf(i) {
      var label = labelOf(i);
      var marker = L.marker([m.lat[i], m.lon[i]], { icon: iconFor(m.c[i], m.x[i], m.e && m.e[i]), title: label,
        alt: label });
      marker.index = i;
      marker.bindPopup("…", POPUP);
      return marker;
    }
    var group, reveal;
    if (options.cluster && m.lat.length > options.viewLimit) {  // far out, aggregates; markers only in view
      group = new C.ViewClusters(m, badged, markerOf, clusterIcon, data.texts);
      C.listCards(group, data, card);
      reveal = function (i, then) { return group.show(i, then); };
    } else {
      var markers = [];
      for (var i = 0; i < m.lat.length; i++) {
        if (!badged[i]) markers.push(markerOf(i));  // known only by its commune: in its badge, not at a point
      }
      group = options.cluster
        ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, animate: !STILL,
                                 iconCreateFunction: function (cluster) { return clusterIcon(cluster.getChildCount()); } })
        : L.featureGroup();
      if (options.cluster) group.addLayers(markers); else markers.forEach(function (mk) { group.addLayer(mk); });
      reveal = function (i, then) {
        var marker = markers.find(function (mk) { return mk.index === i; });
        if (marker && options.cluster) group.zoomToShowLayer(marker, function () { then(marker); });
        else if (marker) then(marker);
        return !!marker;
      };
    }
    group.on("popupopen", function (event) {
      if (event.popup._source.rows) return;  // a pile of initiatives: its list (C.listCards)
      fit(event.popup);
      card(event.popup._source.index, function (html) { show(event.popup, html); enter(event.popup); });
    });
    group.on("popupclose", leave);
    parent.addLayer(group);
    window.carteDrawn = performance.now();  // read by the benchmark
    var badges = C.addBadges(parent, data, card);
    group.carteBadges = badges;
    whenOnMap(parent, function (map) {
      said(map);  // drawn: a problem said at an earlier drawing is over
      C.keyboardFor(map, group, badges);
      C.frenchControls(map, data.texts);
    });
    if (options.rememberView) C.rememberView(parent);
    if (options.open != null) C.openAtStart(parent, options, reveal, badges, card, data.texts);
    if (options.flyTo) C.flyTo(parent, options.flyTo);
    if (data.from) {
      L.circleMarker(data.from, { radius: 9, color: "#fff", weight: 3, fillColor: "#1f6feb", fillOpacity: 1 })
        .bindTooltip(esc(data.texts.start)).addTo(parent);
    }
    return group;
  }

  C.addInitiatives = addInitiatives;
})(window.Carte = window.Carte || {});

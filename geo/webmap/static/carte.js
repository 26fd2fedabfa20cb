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

  /* Text with its http(s) addresses as links named by their host; everything else escaped. */
  function linkify(text) {
    return String(text == null ? "" : text).split(/(https?:\/\/[^\s"'<>()]+)/i).map(function (part, i) {
      if (i % 2 === 0 || !safeUrl(part)) return esc(part);
      var host = part.replace(/^https?:\/\/(www\.)?/i, "").split(/[/?#]/)[0];
      return '<a href="' + esc(part) + '" target="_blank" rel="noopener nofollow">' + esc(host) + "</a>";
    }).join("");
  }

  function symbol(style, approximate, ended) {
    return '<span class="carte-symbol' + (approximate ? " carte-approx" : "") + (ended ? " carte-ended" : "") + '" style="background:' +
      esc(style.color) + '">' + style.svg + "</span>";
  }

  function directionsUrl(p, from) {
    var route = (from ? from[0] + "," + from[1] : "") + ";" + p.lat + "," + p.lon;
    return "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route=" + encodeURIComponent(route);
  }

  /* Today's date and minutes since midnight in Paris, whatever the device's time zone. */
  function parisNow() {
    var parts = {};
    new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date())
      .forEach(function (part) { parts[part.type] = part.value; });
    return { date: parts.year + "-" + parts.month + "-" + parts.day, minutes: (+parts.hour) * 60 + (+parts.minute) };
  }

  /* Hours: today's line first with "open now", the rest of the week folded. */
  function hoursHtml(p, texts) {
    if (!p.hw) return p.hx ? '<div class="carte-hours carte-muted">' + esc(texts.hours) + " : " + esc(p.hx) + "</div>" : "";
    var now = parisNow(), days = p.hw.filter(function (d) { return d[0] >= now.date; });
    if (!days.length) return "";
    var today = days[0][0] === now.date ? days.shift() : null, html = '<div class="carte-hours">';
    if (today) {
      var open = today[2].some(function (r) { return r[0] <= now.minutes && now.minutes < r[1]; });
      html += '<span class="carte-open ' + (open ? "is-open" : "is-closed") + '">' + esc(open ? texts.open : texts.closed) +
        "</span> " + esc(texts.today) + " " + esc(today[1]);
    }
    if (days.length) {
      html += "<details><summary>" + esc(texts.hours) + "</summary>" + days.map(function (d) {
        var name = new Date(d[0] + "T12:00:00Z").toLocaleDateString("fr-FR", { weekday: "long", timeZone: "UTC" });
        return "<div>" + esc(name.charAt(0).toUpperCase() + name.slice(1)) + " " + esc(d[1]) + "</div>";
      }).join("") + "</details>";
    }
    return html + "</div>";
  }

  function popup(p, style, texts, from) {
    var html = '<div class="carte-popup"><div class="carte-popup-head">' + symbol(style, p.x) +
      "<div><strong>" + esc(p.n) + '</strong><div class="carte-muted">' + esc(style.label) + "</div></div></div>";
    if (p.f) html += '<div class="carte-muted">' + esc(texts.formerly) + " : " + esc(p.f) + "</div>";
    if (p.st) html += '<div class="carte-status">' + esc(p.st) + (p.sn ? " · " + esc(p.sn) : "") + "</div>";
    else if (p.sn) html += '<div class="carte-note">' + esc(p.sn) + "</div>";
    if (p.x) html += '<div class="carte-badge" title="' + esc(p.ql) + '">' + esc(texts.approximate) + " (" + esc(p.ql) + ")</div>";
    if (p.dk != null) html += '<div class="carte-distance">' + esc(p.dk) + "</div>";
    html += hoursHtml(p, texts);
    if (p.w) html += '<div class="carte-award">' + esc(texts.award) + " : " + esc(p.w) + "</div>";
    if (p.a) html += '<div class="carte-address">' + esc(p.a) + "</div>";
    if (p.an) html += '<div class="carte-muted">' + esc(p.an) + "</div>";
    if (p.d) html += "<p>" + esc(p.d) + "</p>";
    if (p.fe) html += '<div class="carte-muted">' + esc(texts.fees) + " : " + esc(p.fe) + "</div>";
    if (p.o) html += '<div class="carte-muted">' + esc(p.o) + "</div>";
    if (p.t) html += '<div class="carte-themes">' + esc(p.t) + "</div>";
    var links = [];
    if (!p.k) links.push('<a href="' + esc(directionsUrl(p, from)) + '" target="_blank" rel="noopener">' + esc(texts.directions) + "</a>");
    if (safeUrl(p.u)) links.push('<a href="' + esc(p.u) + '" target="_blank" rel="noopener nofollow">' + esc(texts.website) + "</a>");
    var own = ficheUrl(p.id);
    if (own) links.push('<a href="' + esc(own) + '" target="_top">' + esc(texts.link) + '</a> <button type="button" ' +
      'class="carte-copy" data-url="' + esc(own) + '">' + esc(texts.copy) + "</button>");
    if (links.length) html += '<div class="carte-links">' + links.join(" · ") + "</div>";
    html += '<div class="carte-source">' + (p.ds ? esc(texts.dataset) + " : " + esc(p.ds) + "<br>" : "") +
      esc(texts.source) + (p.y ? " (" + esc(texts.yearOfSource) + " " + esc(p.y) + ")" : "") + " : " + linkify(p.s);
    if (p.as) html += "<br>" + esc(texts.addressSource) + " : " + linkify(p.as);
    if (p.ss) html += "<br>" + esc(texts.statusSource) + " : " + linkify(p.ss);
    return html + "</div></div>";
  }

  /* The app's own link to one initiative (the Carte page, ?fiche=<id>); none outside the app (a saved file). */
  function ficheUrl(id) {
    if (!id) return "";
    try {
      var top = window.top.location;
      if (!/^https?:$/.test(top.protocol)) return "";
      return top.origin + top.pathname.replace(/[^/]*$/, "") + "?fiche=" + encodeURIComponent(id);
    } catch (error) { return ""; }
  }

  /* "Copier le lien": the clipboard when the browser allows it, else the link selected in a field. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".carte-copy");
    if (!button) return;
    event.preventDefault();
    var url = button.getAttribute("data-url"), label = button.textContent;
    var done = function () { button.textContent = "✓"; setTimeout(function () { button.textContent = label; }, 1500); };
    var fallback = function () {
      var field = document.createElement("input");
      field.value = url; field.readOnly = true; field.className = "carte-copy-field";
      button.replaceWith(field); field.select();
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(done, fallback);
    else fallback();
  });

  var loading = {};

  /* Run ``then(map)`` once ``parent`` (a map, or a layer not yet on one) is on its map. */
  function whenOnMap(parent, then) {
    if (parent._map || parent instanceof L.Map) then(parent._map || parent);
    else parent.once("add", function (event) { then(event.target._map); });
  }

  function withBackLink(html, texts) {
    return '<a href="#" data-back="1" class="carte-back">' + esc(texts.back) + "</a>" + html;
  }
  var FAR_ZOOM = 12;

  /* Details of marker i: inline, or fetched (and kept) from the chunk file that holds its slot. */
  function withDetails(data, i, callback) {
    if (data.details) return callback(data.details[i]);
    var slot = data.markers.r[i], size = data.detailsChunk, chunk = Math.floor(slot / size);
    var url = data.detailsUrl + "/" + chunk + ".json";
    if (!loading[url]) loading[url] = fetch(url).then(function (r) { return r.json(); });
    loading[url].then(function (records) { callback(records[slot - chunk * size] || {}); },
      function () { callback({}); });
  }

  function addInitiatives(parent, data, options) {
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
    function drawn() { window.carteDrawn = performance.now(); }  // read by the benchmark
    var group = options.cluster
      ? L.markerClusterGroup({
          // Chunks keep a huge layer from freezing the page; below that, one pass is faster.
          chunkedLoading: m.lat.length > 20000, showCoverageOnHover: false, maxClusterRadius: 40,
          chunkProgress: function (done, total) { if (done === total) drawn(); }
        })
      : L.featureGroup();
    var badged = {};
    (data.badges || []).forEach(function (b) { b.rows.forEach(function (i) { badged[i] = true; }); });
    function card(i, callback) {
      withDetails(data, i, function (details) {
        var p = Object.assign({ n: m.n[i], x: m.x[i], lat: m.lat[i], lon: m.lon[i], k: badged[i] }, details);
        callback(popup(p, data.styles[m.c[i]], data.texts, data.from));
      });
    }
    var markers = [];
    for (var i = 0; i < m.lat.length; i++) {
      if (badged[i]) continue;  // known only by its commune: listed in the commune's badge, not drawn at a point
      var marker = L.marker([m.lat[i], m.lon[i]], { icon: iconFor(m.c[i], m.x[i], m.e && m.e[i]), title: m.n[i], alt: m.n[i] });
      marker.index = i;
      marker.bindPopup("…", { maxWidth: 300, autoPanPadding: [12, 12] });
      markers.push(marker);
    }
    /* A popup never taller than its map: its content scrolls instead of being cut at the top. */
    function fit(popup) { popup.options.maxHeight = Math.max(160, popup._map.getSize().y - 90); }
    /* Pan so that the whole popup shows once its real content is in (Leaflet pans for the first content). */
    function show(popup, html) {
      popup.setContent(html);
      var map = popup._map, element = popup.getElement();
      if (!map || !element) return;
      var frame = map.getContainer().getBoundingClientRect(), box = element.getBoundingClientRect(), pad = 10;
      var dx = box.left < frame.left + pad ? box.left - frame.left - pad
        : box.right > frame.right - pad ? box.right - frame.right + pad : 0;
      var dy = box.top < frame.top + pad ? box.top - frame.top - pad : 0;
      if (dx || dy) map.panBy([dx, dy], { animate: false });
    }
    group.on("popupopen", function (event) {
      fit(event.popup);
      card(event.popup._source.index, function (html) { show(event.popup, html); });
    });
    if (options.cluster) group.addLayers(markers); else markers.forEach(function (mk) { group.addLayer(mk); });
    if (!options.cluster || m.lat.length <= 20000) drawn();
    parent.addLayer(group);
    var badges = L.featureGroup();
    (data.badges || []).forEach(function (b) {
      var title = b.rows.length + " " + data.texts.badgeTitle + " · " + b.label;
      var badge = L.marker([b.lat, b.lon], {
        icon: L.divIcon({ className: "carte-area-marker", iconSize: null, iconAnchor: [0, 12 - b.dy],
          html: '<div class="carte-area-badge" role="button" aria-label="' + esc(title) + '"><b>' + b.rows.length +
            '</b><span class="carte-area-text"> ' + esc(data.texts.badgeShort) + " · " + esc(b.label) + "</span></div>" }),
        title: title, alt: title, keyboard: true
      });
      badge.rows = b.rows;
      badge.bindPopup("…", { maxWidth: 300, autoPanPadding: [12, 12], className: "carte-area-popup" });
      badges.addLayer(badge);
    });
    function areaList(badge) {
      return '<div class="carte-popup"><strong>' + esc(badge.rows.length + " " + data.texts.badgeTitle) + "</strong> · " +
        esc(badge.options.title.split(" · ").slice(1).join(" · ")) + '<div class="carte-muted">' + esc(data.texts.badgeHelp) +
        '</div><ul class="carte-area-list">' + badge.rows.map(function (i) {
          var style = data.styles[m.c[i]];
          return '<li><a href="#" data-row="' + i + '">' + symbol(style, true, m.e && m.e[i]) + "<span>" + esc(m.n[i]) +
            '<span class="carte-muted"> · ' + esc(style.label) + "</span></span></a></li>";
        }).join("") + "</ul></div>";
    }
    badges.on("popupopen", function (event) {
      var popup = event.popup, badge = popup._source;
      fit(popup);
      show(popup, areaList(badge));
      var container = popup.getElement();
      if (container.carteBound) return;
      container.carteBound = true;
      L.DomEvent.on(container, "click", function (e) {
        var link = e.target.closest && e.target.closest("a[data-row], a[data-back]");
        if (!link) return;
        // The link is replaced below: once out of the page, Leaflet would take the click for a click on the
        // map (it looks for the popup among the target's parents) and close the popup.
        L.DomEvent.stop(e);
        if (link.hasAttribute("data-back")) { show(popup, areaList(badge)); return; }
        card(+link.getAttribute("data-row"), function (html) {
          show(popup, withBackLink(html, data.texts));
        });
      });
    });
    parent.addLayer(badges);
    group.carteBadges = badges;
    if (options.rememberView) {  // the map's centre and zoom belong in the page's address (?vue_carte=lat,lon,zoom)
      var remember = function (map) {
        map.on("moveend", function () {
          try {
            var top = window.top, url = new URL(top.location.href), c = map.getCenter();
            url.searchParams.set("vue_carte", c.lat.toFixed(5) + "," + c.lng.toFixed(5) + "," + map.getZoom());
            top.history.replaceState(top.history.state, "", url.toString());
          } catch (error) {}  // a saved file or a foreign frame: nothing to remember
        });
      };
      whenOnMap(parent, remember);
    }
    if (options.open != null) {  // ?fiche=<id>: open its card once the map is there
      var openCard = function () {
        var marker = markers.find(function (mk) { return mk.index === options.open; });
        if (marker && options.cluster) group.zoomToShowLayer(marker, function () { marker.openPopup(); });
        else if (marker) marker.openPopup();
        else badges.eachLayer(function (badge) {
          if (badge.rows.indexOf(options.open) < 0) return;
          badge.openPopup();
          card(options.open, function (html) {
            show(badge.getPopup(), withBackLink(html, data.texts));
          });
        });
      };
      whenOnMap(parent, function () { setTimeout(openCard, 0); });
    }
    /* Far out, a badge is its count alone (its name would cover the map); closer, it says what it is. */
    whenOnMap(parent, function (map) {
      var far = function () {
        var isFar = map.getZoom() < FAR_ZOOM;
        L.DomUtil[isFar ? "addClass" : "removeClass"](map.getContainer(), "carte-far");
        // Far out a badge sits under the clusters (Marseille's hundred would hide behind it); close in, above
        // the markers, as the only way to its list.
        badges.eachLayer(function (badge) { badge.setZIndexOffset(isFar ? -500 : 1000); });
      };
      map.on("zoomend", far);
      far();
    });
    if (options.flyTo) {  // the guided tour: fly to the stop once the layer is on its map
      whenOnMap(parent, function (map) {
        map.flyTo([options.flyTo[0], options.flyTo[1]], options.flyTo[2], { duration: 1.5 });
      });
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
      rows.push('<div><span class="carte-area-badge"><b>n</b></span><span>' + esc(data.texts.badgeLegend) + "</span></div>");
      var open = map.getSize().x >= 1200 ? " open" : "";  // closed on smaller maps: it would hide markers
      div.innerHTML = "<details" + open + "><summary>" + esc(data.texts.legend) + "</summary>" + rows.join("") + "</details>";
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    legend.addTo(map);
    return legend;
  }

  /* Place names, shown only when the map has no tiles or its tiles fail to load (offline at a venue): each
   * label [name, lat, lon, fromZoom, toZoom] is visible within its zooms. */
  function addLabels(map, labels) {
    if (!labels || !labels.length) return;
    var layer = L.layerGroup(labels.map(function (l) {
      var marker = L.marker([l[1], l[2]], { icon: L.divIcon({ className: "carte-label", html: "<span>" + esc(l[0]) +
        "</span>", iconSize: null }), interactive: false, keyboard: false, zIndexOffset: -1000 });
      marker.zooms = [l[3], l[4]];
      return marker;
    }));
    var update = function () {
      var zoom = map.getZoom();
      layer.eachLayer(function (marker) {
        var element = marker.getElement();
        if (element) element.style.display = zoom >= marker.zooms[0] && zoom <= marker.zooms[1] ? "" : "none";
      });
    };
    var shown = false, show = function () {
      if (shown) return;
      shown = true;
      layer.addTo(map);
      map.on("zoomend", update);
      update();
    };
    var tiles = [];
    map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) tiles.push(layer); });
    if (!tiles.length) show();
    tiles.forEach(function (tile) { tile.once("tileerror", show); });
    return layer;
  }

  window.Carte = { addInitiatives: addInitiatives, addLegend: addLegend, addLabels: addLabels, escape: esc };
})();

/* Carte des Possibles: initiative markers, popups built on click, legend. Needs Leaflet and
 * Leaflet.markercluster. Every text from the data goes through esc(); only http(s) URLs become links. */
(function () {
  "use strict";
  /* The map's document speaks French, has a title and lets a phone zoom (folium's header forbids it). */
  function frenchDocument() {
    try {
      document.documentElement.lang = "fr";
      document.title = "Carte des initiatives";
      Array.prototype.forEach.call(document.querySelectorAll("meta[name=viewport]"), function (viewport) {
        viewport.setAttribute("content", "width=device-width, initial-scale=1");
      });
    } catch (error) {}
  }
  frenchDocument();
  /* Leaflet focuses the map on the first press of the mouse (for its keyboard); in a frame only partly in view,
   * the browser then scrolled the page to the frame, so the page jumped and the click landed elsewhere (seen at
   * 1366×768 and 1440×900). The same focus, without scrolling anything. */
  if (window.L && L.Map.Keyboard) {
    L.Map.Keyboard.prototype._onMouseDown = function () {
      if (!this._focused) this._map._container.focus({ preventScroll: true });
    };
  }
  var STILL = !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  /* Whether the last thing the person did was a key (focus follows their path) or a pointer. */
  var byKeyboard = false;
  document.addEventListener("keydown", function () { byKeyboard = true; }, true);
  document.addEventListener("pointerdown", function () { byKeyboard = false; }, true);
  function focusQuietly(element) {
    if (element && element.focus) element.focus({ preventScroll: true });
  }
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
      return '<a href="' + esc(part) + '" target="_blank" rel="noopener nofollow">' + esc(host) + NEW_WINDOW + "</a>";
    }).join("");
  }

  /* Said after every link that opens another window (RGAA 13.2). */
  var NEW_WINDOW = '<span class="carte-sr"> (nouvelle fenêtre)</span>';

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
      var within = function (r) { return r[0] <= now.minutes && now.minutes < r[1]; };
      var state = today[2].some(within) ? "open" : (today[3] || []).some(within) ? "unknown" : "closed";
      var said = { open: texts.open, unknown: texts.unknown, closed: texts.closed }[state];
      html += '<span class="carte-open is-' + state + '">' + esc(said) + "</span> " + esc(texts.today) + " " +
        esc(today[1]);
    }
    if (days.length) {
      html += "<details><summary>" + esc(texts.hours) + "</summary>" + days.map(function (d) {
        var name = new Date(d[0] + "T12:00:00Z").toLocaleDateString("fr-FR", { weekday: "long", timeZone: "UTC" });
        return "<div>" + esc(name.charAt(0).toUpperCase() + name.slice(1)) + " " + esc(d[1]) + "</div>";
      }).join("") + "</details>";
    }
    return html + "</div>";
  }

  /* « source : destimed.fr (mai 2022) », each page a link: where a practical fact was read. */
  function cites(list, texts) {
    if (!list || !list.length) return "";
    return '<span class="carte-cite">' + esc(texts.cite) + " : " + list.map(function (c) {
      var site = safeUrl(c[1]) ? '<a href="' + esc(c[1]) + '" target="_blank" rel="noopener nofollow">' + esc(c[0]) +
        NEW_WINDOW + "</a>" : esc(c[0]);
      return site + (c[2] ? " (" + esc(c[2]) + ")" : "");
    }).join(", ") + "</span>";
  }

  /* One practical fact and its pages; beyond two conditions (« … ; … ; … »), the others fold away. */
  function fact(label, value, list, texts) {
    if (!value) return "";
    var parts = value.split(" ; "), shown = parts.slice(0, 2).join(" ; "), more = parts.slice(2);
    return '<div class="carte-fact"><strong>' + esc(label) + "</strong> : " + esc(shown) +
      (more.length ? "<details><summary>" + esc(texts.more) + " (" + more.length + ")</summary>" +
        more.map(function (part) { return "<div>" + esc(part) + "</div>"; }).join("") + "</details>" : " ") +
      cites(list, texts) + "</div>";
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
    if (p.hs && (p.hw || p.hx)) html += '<div class="carte-muted">' + cites(p.hs, texts) + "</div>";
    html += fact(texts.price, p.pr, p.ps, texts) + fact(texts.access, p.ac, p.acs, texts) +
      fact(texts.accessibility, p.ax, p.axs, texts);
    if (p.w) html += '<div class="carte-award">' + esc(texts.award) + " : " + esc(p.w) + "</div>";
    if (p.a) html += '<div class="carte-address">' + esc(p.a) + "</div>";
    if (p.an) html += '<div class="carte-muted">' + esc(p.an) + "</div>";
    if (p.d) html += "<p>" + esc(p.d) + "</p>";
    if (p.fe) html += '<div class="carte-muted">' + esc(texts.fees) + " : " + esc(p.fe) + "</div>";
    if (p.o) html += '<div class="carte-muted">' + esc(p.o) + "</div>";
    if (p.t) html += '<div class="carte-themes">' + esc(p.t) + "</div>";
    var links = [];
    if (!p.k) links.push('<a href="' + esc(directionsUrl(p, from)) + '" target="_blank" rel="noopener">' + esc(texts.directions) + NEW_WINDOW + "</a>");
    if (safeUrl(p.u)) links.push('<a href="' + esc(p.u) + '" target="_blank" rel="noopener nofollow">' + esc(texts.website) + NEW_WINDOW + "</a>" +
      (p.us ? " " + cites(p.us, texts) : ""));
    var own = ficheUrl(p.id);
    if (own) links.push('<a href="' + esc(own) + '" target="_top">' + esc(texts.link) + '</a> <button type="button" ' +
      'class="carte-copy" data-url="' + esc(own) + '">' + esc(texts.copy) + "</button>");
    if (links.length) html += '<div class="carte-links">' + links.join(" · ") + "</div>";
    html += '<div class="carte-source">' + (p.ds ? esc(texts.dataset) + " : " + esc(p.ds) + "<br>" : "") +
      esc(texts.source) + (p.y ? " (" + esc(texts.yearOfSource) + " " + esc(p.y) + ")" : "") + " : " + linkify(p.s);
    if (p.as) html += "<br>" + esc(texts.addressSource) + " : " + linkify(p.as);
    if (p.ss) html += "<br>" + esc(texts.statusSource) + " : " + linkify(p.ss);
    if (p.fr) html += "<br>" + esc(p.fr);
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

  /* A popup opened is where focus goes next (it sits after every marker in the page), named as a dialog, with a
   * French close button; closed, focus returns to the marker that opened it. */
  function enter(popup) {
    var element = popup.getElement(), quiet = popup.carteQuiet;
    popup.carteQuiet = false;
    if (!element) return;
    var content = element.querySelector(".carte-popup"), close = element.querySelector(".leaflet-popup-close-button");
    var title = content && content.querySelector("strong");
    element.setAttribute("role", "dialog");
    if (title) element.setAttribute("aria-label", title.textContent);
    if (close) { close.setAttribute("aria-label", "Fermer la fiche"); close.setAttribute("title", "Fermer la fiche"); }
    if (content) content.setAttribute("tabindex", "-1");
    if (content && !quiet) focusQuietly(content);  // a card the page opens by itself (?fiche=) leaves focus be
  }
  function leave(event) {
    var element = event.popup.getElement(), source = event.popup._source;
    var inside = element && element.contains(document.activeElement);
    if ((inside || byKeyboard) && source && source._icon) focusQuietly(source._icon);
  }

  function withBackLink(html, texts) {
    return '<a href="#" data-back="1" class="carte-back">' + esc(texts.back) + "</a>" + html;
  }
  var FAR_ZOOM = 12;
  /* Popups keep clear of the zoom buttons in the top-left corner (on a 320 px phone they covered them). */
  var CONTROLS = 56, POPUP = { maxWidth: 300, autoPanPaddingTopLeft: [CONTROLS, 12], autoPanPaddingBottomRight: [12, 12] };

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
    /* What a screen reader says of a marker: its name, category, and whether it has ended or is approximate. */
    function labelOf(i) {
      return m.n[i] + " — " + data.styles[m.c[i]].label + (m.e && m.e[i] ? ", " + data.texts.ended : "") +
        (m.x[i] ? ", " + data.texts.approximate : "");
    }
    var group = options.cluster
      ? L.markerClusterGroup({
          // Chunks keep a huge layer from freezing the page; below that, one pass is faster.
          chunkedLoading: m.lat.length > 20000, showCoverageOnHover: false, maxClusterRadius: 40,
          animate: !STILL,
          chunkProgress: function (done, total) { if (done === total) drawn(); },
          // A cluster says what it is and how to open it; its figure stays visible.
          iconCreateFunction: function (cluster) {
            var n = cluster.getChildCount(), size = n < 10 ? "small" : n < 100 ? "medium" : "large";
            return L.divIcon({ className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40),
              html: "<div><span>" + n + '</span><span class="carte-sr"> ' + esc(data.texts.cluster) + "</span></div>" });
          }
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
      var label = labelOf(i);
      var marker = L.marker([m.lat[i], m.lon[i]], { icon: iconFor(m.c[i], m.x[i], m.e && m.e[i]), title: label,
        alt: label });
      marker.index = i;
      marker.bindPopup("…", POPUP);
      markers.push(marker);
    }
    /* A popup never taller than its map: its content scrolls instead of being cut at the top. */
    function fit(popup) { popup.options.maxHeight = Math.max(160, popup._map.getSize().y - 90); }
    /* Pan so that the whole popup shows once its real content is in (Leaflet pans for the first content). */
    function show(popup, html) {
      popup.setContent(html);
      intoView(popup);
      // Opened at the end of a zoom (a ?fiche= link, a cluster), the card can still move as the clusters settle:
      // looked at again once they have (its close button was left above the map on a phone).
      setTimeout(function () { intoView(popup); }, 400);
    }
    function intoView(popup) {
      var map = popup._map, element = popup.getElement();
      if (!map || !element || !popup.isOpen()) return;
      var frame = map.getContainer().getBoundingClientRect(), box = element.getBoundingClientRect(), pad = 10;
      var dx = box.left < frame.left + CONTROLS ? box.left - frame.left - CONTROLS
        : box.right > frame.right - pad ? box.right - frame.right + pad : 0;
      var dy = box.top < frame.top + pad ? box.top - frame.top - pad : 0;
      if (dx || dy) map.panBy([dx, dy], { animate: false });
    }
    group.on("popupopen", function (event) {
      fit(event.popup);
      card(event.popup._source.index, function (html) { show(event.popup, html); enter(event.popup); });
    });
    group.on("popupclose", leave);
    if (options.cluster) group.addLayers(markers); else markers.forEach(function (mk) { group.addLayer(mk); });
    if (!options.cluster || m.lat.length <= 20000) drawn();
    parent.addLayer(group);
    var badges = L.featureGroup();
    (data.badges || []).forEach(function (b) {
      var title = b.rows.length + " " + data.texts.badgeTitle + " · " + b.label;
      var badge = L.marker([b.lat, b.lon], {
        icon: L.divIcon({ className: "carte-area-marker", iconSize: null, iconAnchor: [0, 12 - b.dy],
          html: '<div class="carte-area-badge"><b>' + b.rows.length +
            '</b><span class="carte-area-text"> ' + esc(data.texts.badgeShort) + " · " + esc(b.label) + "</span></div>" }),
        title: title, alt: title, keyboard: true
      });
      // Its name starts with what it shows (RGAA 7.1, the visible text is part of the name).
      badge.on("add", function () {
        if (badge._icon) badge._icon.setAttribute("aria-label", b.rows.length + " " + data.texts.badgeShort + " · " +
          b.label + " : " + data.texts.badgeOpen);
      });
      badge.rows = b.rows;
      badge.bindPopup("…", Object.assign({ className: "carte-area-popup" }, POPUP));
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
      enter(popup);
      var container = popup.getElement();
      if (container.carteBound) return;
      container.carteBound = true;
      L.DomEvent.on(container, "click", function (e) {
        var link = e.target.closest && e.target.closest("a[data-row], a[data-back]");
        if (!link) return;
        // The link is replaced below: once out of the page, Leaflet would take the click for a click on the
        // map (it looks for the popup among the target's parents) and close the popup.
        L.DomEvent.stop(e);
        if (link.hasAttribute("data-back")) {  // back to the list, focus on the item the person had chosen
          var row = popup.carteRow;
          show(popup, areaList(popup._source));
          focusQuietly(popup.getElement().querySelector('a[data-row="' + row + '"]'));
          return;
        }
        popup.carteRow = link.getAttribute("data-row");
        card(+popup.carteRow, function (html) {
          show(popup, withBackLink(html, data.texts));
          focusQuietly(popup.getElement().querySelector("a[data-back]"));  // focus stays in the card
        });
      });
    });
    badges.on("popupclose", leave);
    parent.addLayer(badges);
    group.carteBadges = badges;
    whenOnMap(parent, function (map) { keyboardFor(map, group, badges); frenchControls(map, data.texts); });
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
        if (marker) marker.getPopup().carteQuiet = true;
        if (marker && options.cluster) group.zoomToShowLayer(marker, function () { marker.openPopup(); });
        else if (marker) marker.openPopup();
        else badges.eachLayer(function (badge) {
          if (badge.rows.indexOf(options.open) < 0) return;
          badge.getPopup().carteQuiet = true;
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
        var legend = map.getContainer().querySelector(".carte-legend details");
        if (legend) legend.open = false;  // the tour's story is beside the map: nothing over its stops
        if (STILL) map.setView([options.flyTo[0], options.flyTo[1]], options.flyTo[2], { animate: false });
        else map.flyTo([options.flyTo[0], options.flyTo[1]], options.flyTo[2], { duration: 1.5 });
      });
    }
    if (data.from) {
      L.circleMarker(data.from, { radius: 9, color: "#fff", weight: 3, fillColor: "#1f6feb", fillOpacity: 1 })
        .bindTooltip(esc(data.texts.start)).addTo(parent);
    }
    return group;
  }

  /* The layer drawn as this icon: a marker, a cluster or a badge. */
  function layerOf(icon, group, badges) {
    var found = null, look = function (layer) { if (layer._icon === icon) found = layer; };
    (group._featureGroup || group).eachLayer(look);
    if (!found) badges.eachLayer(look);
    if (!found && group._spiderfied) group._spiderfied.getAllChildMarkers().forEach(look);
    return found;
  }

  /* Enter or Space on a cluster opens it (zoom, or spread at the last zoom) and puts focus on the first
   * initiative it held; on a marker or a badge, opens its card. Leaflet answers Enter only on layers with a popup,
   * so clusters were dead to the keyboard (streamlit's frame holds the map: the keys reach it). */
  function keyboardFor(map, group, badges) {
    if (map.carteKeys && map.carteKeys.indexOf(group) >= 0) return;
    (map.carteKeys = map.carteKeys || []).push(group);
    map.getContainer().addEventListener("keydown", function (event) {
      // Escape closes the card from within it (Leaflet listens only while the map itself has focus).
      if (event.key === "Escape" && event.target.closest && event.target.closest(".leaflet-popup")) {
        event.preventDefault();
        map.closePopup();
        return;
      }
      if (event.key !== "Enter" && event.key !== " ") return;
      var icon = event.target.closest && event.target.closest(".leaflet-marker-icon");
      var layer = icon && layerOf(icon, group, badges);
      if (!layer) return;
      event.preventDefault();  // no page scroll on Space, and no second answer from Leaflet's keypress
      event.stopPropagation();
      if (layer instanceof L.MarkerCluster) openCluster(map, group, layer);
      else layer.openPopup();
    }, true);
  }

  function openCluster(map, group, cluster) {
    var bounds = cluster.getBounds(), first = function () {
      var icons = [];
      group._featureGroup.eachLayer(function (layer) {
        if (layer._icon && bounds.contains(layer.getLatLng())) icons.push(layer._icon);
      });
      icons.sort(function (a, b) { return a.compareDocumentPosition(b) & 4 ? -1 : 1; });
      focusQuietly(icons[0]);
    };
    group.once("spiderfied", function (event) { focusQuietly(event.markers[0] && event.markers[0]._icon); });
    map.once("moveend", function () { setTimeout(first, STILL ? 0 : 300); });
    group._zoomOrSpiderfy({ layer: cluster });  // the plugin's own click answer (Leaflet.markercluster 1.4.1)
  }

  /* Leaflet's controls in French, the map named for what it is and how to move it (RGAA 7.1). */
  function frenchControls(map, texts) {
    frenchDocument();
    if (map.carteFrench) return;
    map.carteFrench = true;
    var container = map.getContainer();
    container.setAttribute("role", "main");  // the frame's content is the map
    if (!document.querySelector("h1")) {  // the frame's own heading, heard not seen
      var heading = L.DomUtil.create("h1", "carte-sr");
      heading.textContent = texts.mapHeading;
      container.insertBefore(heading, container.firstChild);
    }
    container.setAttribute("aria-label", texts.mapLabel);
    [[".leaflet-control-zoom-in", texts.zoomIn], [".leaflet-control-zoom-out", texts.zoomOut]].forEach(function (c) {
      var button = container.querySelector(c[0]);
      if (button) { button.setAttribute("title", c[1]); button.setAttribute("aria-label", c[1]); }
    });
    // A card opened folds the legend away: it would cover the card on a small map or beside the tour's story.
    map.on("popupopen", function () {
      var legend = container.querySelector(".carte-legend details");
      if (legend) legend.open = false;
    });
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
    frenchControls(map, data.texts);
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

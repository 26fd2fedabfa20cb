/* Initiatives known only by their commune: one badge per area, its count and name, whose card lists them
 * (each opening its own card, with a way back); far out, a badge is its count alone. Needed by the markers. */
(function (C) {
  "use strict";
  var esc = C.esc, symbol = C.symbol, focusQuietly = C.focusQuietly, whenOnMap = C.whenOnMap, POPUP = C.POPUP,
      fit = C.fit, show = C.show, enter = C.enter, leave = C.leave, withBackLink = C.withBackLink;
  var FAR_ZOOM = 12;

  /* The card of a layer that stands for several initiatives (``layer.rows``; ``layer.carteList``: its title, place
   * help, whether all are approximate): their list, each item opening its own card, with a way back to the list. */
  C.listCards = function (group, data, card) {
    var m = data.markers;
    function list(layer) {
      var about = layer.carteList;
      return '<div class="carte-popup"><strong>' + esc(about.title) + "</strong>" + (about.place ? " · " + esc(about.place) : "") +
        '<div class="carte-muted">' + esc(about.help) + '</div><ul class="carte-area-list">' + layer.rows.map(function (i) {
          var style = data.styles[m.c[i]];
          return '<li><a href="#" data-row="' + i + '">' + symbol(style, about.approximate || m.x[i], m.e && m.e[i]) + "<span>" + esc(m.n[i]) +
            '<span class="carte-muted"> · ' + esc(style.label) + "</span></span></a></li>";
        }).join("") + "</ul></div>";
    }
    group.on("popupopen", function (event) {
      var popup = event.popup, layer = popup._source;
      if (!layer.rows) return;  // one initiative: its own card (carte.js)
      fit(popup);
      show(popup, list(layer));
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
          show(popup, list(popup._source));
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
  };

  /* The badges of ``data`` on ``parent``; ``card(i, callback)`` builds the card of initiative i. */
  C.addBadges = function (parent, data, card) {
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
      badge.carteList = { title: b.rows.length + " " + data.texts.badgeTitle, place: b.label, help: data.texts.badgeHelp,
        approximate: true };
      badge.bindPopup("…", Object.assign({ className: "carte-area-popup" }, POPUP));
      badges.addLayer(badge);
    });
    C.listCards(badges, data, card);
    badges.on("popupclose", leave);
    parent.addLayer(badges);
    /* Far out, a badge is its count alone (its name would cover the map); closer, it says what it is. */
    whenOnMap(parent, function (map) {
      // One handler per map, on the badges drawn now: one per drawing kept every earlier drawing alive.
      map.carteBadgesNow = badges;
      if (!map.carteFar) {
        map.carteFar = function () {
          var isFar = map.getZoom() < FAR_ZOOM;
          L.DomUtil[isFar ? "addClass" : "removeClass"](map.getContainer(), "carte-far");
          // Far out a badge sits under the clusters (Marseille's hundred would hide behind it); close in, above
          // the markers, as the only way to its list.
          map.carteBadgesNow.eachLayer(function (badge) { badge.setZIndexOffset(isFar ? -500 : 1000); });
        };
        map.on("zoomend", map.carteFar);
      }
      map.carteFar();
    });
    return badges;
  };
})(window.Carte = window.Carte || {});

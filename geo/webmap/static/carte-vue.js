/* Where the map looks: its view kept in the page's address, the card a ?fiche= link opens, the tour's flight
 * to its stop. Needed by the markers. */
(function (C) {
  "use strict";
  var whenOnMap = C.whenOnMap, show = C.show, withBackLink = C.withBackLink, STILL = C.STILL;
  /* The map's centre and zoom in the page's address (?vue_carte=lat,lon,zoom). */
  C.rememberView = function (parent) {
    var remember = function (map) {
      if (map.carteRemembers) return;  // once per map, not once per drawing of the markers
      map.carteRemembers = true;
      map.on("moveend", function () {
        try {
          var top = window.top, url = new URL(top.location.href), c = map.getCenter();
          url.searchParams.set("vue_carte", c.lat.toFixed(5) + "," + c.lng.toFixed(5) + "," + map.getZoom());
          top.history.replaceState(top.history.state, "", url.toString());
        } catch (error) {}  // a saved file or a foreign frame: nothing to remember
      });
    };
    whenOnMap(parent, remember);
  };

  /* ?fiche=<id>: open its card once the map is there (a marker, inside its cluster, or in its area's badge). */
  C.openAtStart = function (parent, options, group, markers, badges, card, texts) {
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
          show(badge.getPopup(), withBackLink(html, texts));
        });
      });
    };
    whenOnMap(parent, function () { setTimeout(openCard, 0); });
  };

  /* The guided tour: fly to the stop once the layer is on its map. */
  C.flyTo = function (parent, to) {
    whenOnMap(parent, function (map) {
      var legend = map.getContainer().querySelector(".carte-legend details");
      if (legend) legend.open = false;  // the tour's story is beside the map: nothing over its stops
      if (STILL) map.setView([to[0], to[1]], to[2], { animate: false });
      else map.flyTo([to[0], to[1]], to[2], { duration: 1.5 });
    });
  };
})(window.Carte = window.Carte || {});

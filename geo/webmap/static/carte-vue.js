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

  /* ?fiche=<id>: open its card once the map is there (a marker, inside its cluster, or in the list of its area's
   * badge or of its pile). ``reveal(i, then)`` shows initiative i's marker or pile and calls ``then`` with it. */
  C.openAtStart = function (parent, options, reveal, badges, card, texts) {
    var inList = function (layer) {
      layer.getPopup().carteQuiet = true;
      layer.getPopup().carteRow = String(options.open);  // « Retour à la liste » comes back to it
      layer.openPopup();
      card(options.open, function (html) { show(layer.getPopup(), withBackLink(html, texts)); });
    };
    var openCard = function () {
      var shown = reveal(options.open, function (layer) {
        if (layer.rows) return inList(layer);
        layer.getPopup().carteQuiet = true;
        layer.openPopup();
      });
      if (!shown) badges.eachLayer(function (badge) { if (badge.rows.indexOf(options.open) >= 0) inList(badge); });
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

/* The map's controls: Leaflet's in French, the map named for what it is, and the keyboard on clusters,
 * markers, badges and piles (Enter or Space opens, Escape closes a card). Needed by the markers and the legend. */
(function (C) {
  "use strict";
  var focusQuietly = C.focusQuietly, frenchDocument = C.frenchDocument, STILL = C.STILL;
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
    // One listener per map, reading the layer drawn now: a listener per drawing kept every earlier layer (and all
    // its markers) alive, +8 MB of the tab's memory per filter at 10,000 initiatives.
    map.carteKeys = { group: group, badges: badges };
    if (map.carteKeysOn) return;
    map.carteKeysOn = true;
    map.getContainer().addEventListener("keydown", function (event) {
      var group = map.carteKeys.group, badges = map.carteKeys.badges;
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
      else if (layer.carteCluster != null && !layer.rows) group.expand(layer, true);  // C.ViewClusters
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

  C.keyboardFor = keyboardFor; C.frenchControls = frenchControls;
})(window.Carte = window.Carte || {});

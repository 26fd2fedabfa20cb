/* The category legend, and place names shown when the map has no tiles (offline at a venue). Needed by the
 * legend and the commune outlines. */
(function (C) {
  "use strict";
  var esc = C.esc, symbol = C.symbol;
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
  function addLabels(map, labels, failed) {
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
    var tiles = tileLayers(map);
    if (!tiles.length || failed) show();
    tiles.forEach(function (tile) { tile.once("tileerror", show); });
    return layer;
  }

  function tileLayers(map) {
    var tiles = [];
    map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) tiles.push(layer); });
    return tiles;
  }

  /* The outlines from the file published beside the map's scripts (kept by the browser): drawn when it arrives.
   * A tile that fails meanwhile is remembered, so the place names still show offline. Without the file the map
   * works on, without outlines (said in the console). */
  function addOutlines(map, url, options) {
    var failed = false, note = function () { failed = true; };
    tileLayers(map).forEach(function (tile) { tile.once("tileerror", note); });
    fetch(url).then(function (answer) {
      if (!answer.ok) throw new Error(answer.status + " " + url);
      return answer.json();
    }).then(function (outlines) {
      L.geoJSON(outlines, options).addTo(map);
      addLabels(map, outlines.labels, failed);
    }).catch(function (error) { console.warn("contours des communes non chargés :", error); });
  }

  C.addLegend = function (map, data) {
    var legend = addLegend(map, data);
    C.frenchControls(map, data.texts);
    return legend;
  };
  C.addLabels = addLabels;
  C.addOutlines = addOutlines;
})(window.Carte = window.Carte || {});

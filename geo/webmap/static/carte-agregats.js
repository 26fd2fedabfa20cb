/* A very large selection: supercluster's aggregates of what is in view, and markers made only for the view
 * (Leaflet.markercluster makes a marker for every initiative and clusters them all in the page: 17 s and 386 MB
 * of the tab at 220,000). Clusters look and answer as Leaflet.markercluster's do: a click, Enter or Space zooms
 * to where they split, focus going to what they held; at the last zoom, initiatives still too close to tell apart
 * are listed in a card. Needs supercluster.js (vendored), carte-badges.js (the list cards); needed by carte.js. */
(function (C) {
  "use strict";
  var focusQuietly = C.focusQuietly, POPUP = C.POPUP, STILL = C.STILL;

  function keyOf(feature) {
    return feature.properties && feature.properties.cluster ? "c" + feature.properties.cluster_id : "p" + feature.i;
  }

  C.ViewClusters = L.FeatureGroup.extend({
    /* ``m``: the marker columns; ``skip[i]``: initiative i is not drawn at a point (a badge holds it);
     * ``marker(i)``: its marker; ``clusterIcon(count)``: a cluster's icon. */
    initialize: function (m, skip, marker, clusterIcon, texts) {
      L.FeatureGroup.prototype.initialize.call(this);
      this._m = m; this._skip = skip; this._marker = marker; this._clusterIcon = clusterIcon; this._texts = texts;
      this._drawn = new Map();  // what is on the map now, by key ("c" + cluster id, "p" + initiative)
    },

    onAdd: function (map) {
      if (!this._index) this._index = this._indexFor(map);
      L.FeatureGroup.prototype.onAdd.call(this, map);
      map.on("moveend", this._update, this);
      this._update();
    },

    onRemove: function (map) {
      map.off("moveend", this._update, this);
      this._drawn.forEach(function (layer) { layer.closePopup(); });
      L.FeatureGroup.prototype.onRemove.call(this, map);
    },

    _indexFor: function (map) {
      var m = this._m, points = [];
      for (var i = 0; i < m.lat.length; i++) {
        if (!this._skip[i]) points.push({ geometry: { coordinates: [m.lon[i], m.lat[i]] }, i: i });
      }
      // 40 screen pixels, as Leaflet.markercluster's radius (Leaflet's tiles are 256 pixels wide).
      return new Supercluster({ radius: 40, extent: 256, minZoom: Math.max(0, map.getMinZoom()),
                                maxZoom: this._lastZoom(map) }).load(points);
    },

    _lastZoom: function (map) {
      var zoom = map.getMaxZoom();
      return isFinite(zoom) ? zoom : 18;
    },

    /* Draw what the view (and a margin) holds at this zoom, keeping the layers already drawn and the one whose card
     * is open (a card pans the map: its marker must not be taken away under it). */
    _update: function () {
      var map = this._map;
      if (!map) return;
      var zoom = Math.round(map.getZoom()), view = map.getBounds().pad(0.25), self = this, next = new Map();
      this._index.getClusters([view.getWest(), view.getSouth(), view.getEast(), view.getNorth()], zoom)
        .forEach(function (feature) {
          var key = keyOf(feature);
          next.set(key, self._drawn.get(key) || self._layerFor(feature, zoom));
        });
      this._drawn.forEach(function (layer, key) {
        if (next.has(key)) return;
        if (layer.isPopupOpen()) next.set(key, layer);
        else self.removeLayer(layer);
      });
      next.forEach(function (layer, key) { if (!self._drawn.has(key)) self.addLayer(layer); });
      this._drawn = next;
    },

    _layerFor: function (feature, zoom) {
      if (!(feature.properties && feature.properties.cluster)) return this._marker(feature.i);
      var id = feature.properties.cluster_id, count = feature.properties.point_count, self = this;
      var where = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var cluster = L.marker(where, { icon: this._clusterIcon(count), keyboard: true });
      cluster.carteCluster = id;
      if (zoom >= this._lastZoom(this._map)) {  // closer is not possible: the card lists them
        cluster.rows = this._index.getLeaves(id, Infinity).map(function (leaf) { return leaf.i; })
          .sort(function (a, b) { return a - b; });
        cluster.carteList = { title: count + " " + this._texts.pileTitle, help: this._texts.pileHelp };
        cluster.bindPopup("…", Object.assign({ className: "carte-area-popup" }, POPUP));
      } else {
        cluster.on("click", function () { self.expand(cluster, C.byKeyboard()); });
      }
      return cluster;
    },

    /* Zoom to where ``cluster`` splits; with ``focus``, focus then goes to the first of what it held. */
    expand: function (cluster, focus) {
      var map = this._map, index = this._index, id = cluster.carteCluster, children = index.getChildren(id);
      while (children.length === 1 && children[0].properties && children[0].properties.cluster) {
        id = children[0].properties.cluster_id;
        children = index.getChildren(id);
      }
      var zoom = Math.min(index.getClusterExpansionZoom(cluster.carteCluster), this._lastZoom(map)), self = this;
      if (focus) {
        map.once("moveend", function () {
          setTimeout(function () {
            var first = self._drawn.get(keyOf(children[0]));
            focusQuietly(first && first._icon);
          }, 0);
        });
      }
      map.setView(cluster.getLatLng(), zoom, { animate: !STILL });
    },

    /* Show initiative i (zoomed in until it stands alone, or in the list of its pile at the last zoom) and call
     * ``then(layer)`` with its marker, or with its pile (which has ``rows``). False when it is not drawn here. */
    show: function (i, then) {
      var map = this._map, index = this._index, m = this._m, last = this._lastZoom(map);
      if (this._skip[i] || i < 0 || i >= m.lat.length) return false;
      if (map._animatingZoom) {  // a zoom on its way (the map fitted to its markers) would undo the view set here
        map.once("zoomend", function () { this.show(i, then); }, this);
        return true;
      }
      var lat = m.lat[i], lon = m.lon[i], near = 1e-6;
      var alone = function (zoom) {
        return index.getClusters([lon - near, lat - near, lon + near, lat + near], zoom)
          .some(function (feature) { return feature.i === i; });
      };
      var zoom = Math.max(Math.round(map.getZoom()), map.getMinZoom());
      while (zoom < last && !alone(zoom)) zoom++;
      map.setView([lat, lon], zoom, { animate: false });
      this._update();
      var layer = this._drawn.get("p" + i);
      if (!layer) {  // still in a pile at the last zoom
        this._drawn.forEach(function (drawn) { if (drawn.rows && drawn.rows.indexOf(i) >= 0) layer = drawn; });
      }
      if (layer) then(layer);
      return !!layer;
    }
  });
})(window.Carte = window.Carte || {});

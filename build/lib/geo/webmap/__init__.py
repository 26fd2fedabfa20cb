"""Leaflet maps through folium, with every asset served locally: no CDN, works with no network."""

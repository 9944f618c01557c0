// The street basemap under every map: the tile server of Map:TileUrl (data-map-* on <body>). When there is none, or
// its tiles cannot load (no connection, a blocked server), the map keeps to the city's own boundaries, as it was
// before basemaps; the element says which in data-basemap ("tiles" or "boundaries").
window.CitizenMap = (function () {
    'use strict';
    var settings = document.body.dataset;

    function escapeText(text) {
        var span = document.createElement('span');
        span.textContent = text || '';
        return span.innerHTML;
    }

    // Adds the basemap to a Leaflet map drawn in element; onBoundaries runs once if the map is left without tiles.
    function basemap(map, element, onBoundaries) {
        var decided = false;
        function decide(kind) {
            if (decided) {
                return;
            }
            decided = true;
            element.dataset.basemap = kind;
            if (kind === 'boundaries' && onBoundaries) {
                onBoundaries();
            }
        }

        if (!settings.mapTiles) {
            decide('boundaries');
            return;
        }

        var loaded = 0;
        var failed = 0;
        var layer = L.tileLayer(settings.mapTiles, {
            maxZoom: parseInt(settings.mapMaxZoom, 10) || 19,
            subdomains: settings.mapSubdomains || 'abc',
            attribution: escapeText(settings.mapAttribution),
        });
        function giveUp() {
            if (!decided) {
                decide('boundaries');
                // Not from within the layer's own event: Leaflet is still finishing that tile.
                window.setTimeout(function () { map.removeLayer(layer); }, 0);
            }
        }
        layer.on('tileload', function () { loaded++; decide('tiles'); });
        layer.on('tileerror', function () { failed++; });
        // 'load' comes when every visible tile has arrived or failed: none arrived means no basemap here.
        layer.on('load', function () {
            if (loaded === 0 && failed > 0) {
                giveUp();
            }
        });
        layer.addTo(map);
        // A server that never answers must not leave the resident staring at grey squares.
        window.setTimeout(function () {
            if (loaded === 0) {
                giveUp();
            }
        }, 8000);
    }

    // The cities' boundaries (GeoJSON URLs, comma-separated) drawn lightly under what the map shows.
    function boundaries(map, urls) {
        (urls || '').split(',').filter(Boolean).forEach(function (url) {
            fetch(url, { headers: { Accept: 'application/geo+json' } })
                .then(function (response) { return response.ok ? response.json() : null; })
                .then(function (collection) {
                    if (collection) {
                        L.geoJSON(collection, { interactive: false, style: function () { return { color: '#b3261e', weight: 1, fillOpacity: 0.04 }; } }).addTo(map).bringToBack();
                    }
                });
        });
    }

    return { basemap: basemap, boundaries: boundaries };
}());

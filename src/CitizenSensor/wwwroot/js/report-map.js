// A map of reports, for the public list and the staff inbox alike: one dot per report in the element's data-points
// (the server has already chosen, and for the public rounded, the locations), coloured by status; a dot opens the
// report at data-link + its code. The number of dots drawn is left in data-markers. Under the dots, the street basemap
// (base-map.js), or the cities' boundaries of data-geojson when it cannot load.
(function () {
    'use strict';
    var colours = { 'needs-triage': '#6b4fa1', routed: '#b3261e', 'in-progress': '#e8a317', resolved: '#1e7a34', rejected: '#555' };
    if (typeof L === 'undefined' || !window.CitizenMap) {
        return;
    }
    document.querySelectorAll('[data-report-map]').forEach(function (element) {
        var points = JSON.parse(element.dataset.points || '[]');
        if (points.length === 0) {
            return;
        }
        element.hidden = false;
        var map = L.map(element, { zoomSnap: 0.25 });
        map.attributionControl.setPrefix(false);
        CitizenMap.basemap(map, element, function () { CitizenMap.boundaries(map, element.dataset.geojson); });
        var link = element.dataset.link;
        var layer = L.featureGroup(points.map(function (p) {
            return L.circleMarker([p.lat, p.lng], { radius: 7, color: colours[p.status] || '#555', weight: 2, fillOpacity: 0.6 })
                .bindTooltip(p.code)
                .on('click', function () { window.location.href = link + encodeURIComponent(p.code); });
        })).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 15 });
        element.dataset.markers = String(points.length);
    });
}());

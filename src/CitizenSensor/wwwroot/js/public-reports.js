// The public map: one dot per report (locations already rounded by the server), coloured by status.
(function () {
    'use strict';
    var element = document.getElementById('reports-map');
    if (!element || typeof L === 'undefined') {
        return;
    }
    var points = JSON.parse(element.dataset.points || '[]');
    if (points.length === 0) {
        return;
    }
    element.hidden = false;
    var map = L.map(element, { zoomSnap: 0.25 });
    map.attributionControl.setPrefix(false);
    var colours = { routed: '#b3261e', 'in-progress': '#e8a317', resolved: '#1e7a34' };
    var layer = L.featureGroup(points.map(function (p) {
        return L.circleMarker([p.lat, p.lng], { radius: 7, color: colours[p.status] || '#555', weight: 2, fillOpacity: 0.6 })
            .bindTooltip(p.code)
            .on('click', function () { window.location.href = '/r/' + encodeURIComponent(p.code); });
    })).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 15 });
    element.dataset.markers = String(points.length);
}());

package dispute

import (
	"math"
	"strconv"
	"strings"
)

// validateCoordinates checks a map pin: a pair of finite WGS 84 degrees in
// range, or none. Half a pin locates nothing, so it is refused rather than
// dropped.
func (p PlaceInput) validateCoordinates(e *ValidationError) {
	switch {
	case p.Lat == nil && p.Long == nil:
		return
	case p.Lat == nil:
		e.add("#/place/lat", "is required with long")
		return
	case p.Long == nil:
		e.add("#/place/long", "is required with lat")
		return
	}
	if !inRange(*p.Lat, 90) {
		e.add("#/place/lat", "must be a latitude in degrees, from -90 to 90")
	}
	if !inRange(*p.Long, 180) {
		e.add("#/place/long", "must be a longitude in degrees, from -180 to 180")
	}
}

func inRange(deg, bound float64) bool {
	return !math.IsNaN(deg) && deg >= -bound && deg <= bound
}

// location is the pin as stored: "lat,long" in the shortest decimal form
// that reads back as the same numbers; empty without a pin.
func (p PlaceInput) location() string {
	if p.Lat == nil || p.Long == nil {
		return ""
	}
	return strconv.FormatFloat(*p.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(*p.Long, 'f', -1, 64)
}

// Coordinates reads a stored Location back; ok is false without one.
func (d Dispute) Coordinates() (lat, long float64, ok bool) {
	a, b, found := strings.Cut(d.Location, ",")
	if !found {
		return 0, 0, false
	}
	lat, errLat := strconv.ParseFloat(a, 64)
	long, errLong := strconv.ParseFloat(b, 64)
	return lat, long, errLat == nil && errLong == nil
}

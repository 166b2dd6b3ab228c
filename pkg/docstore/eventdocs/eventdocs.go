// Package eventdocs holds the stored shapes of the api/events types that
// several services keep inside their own documents.
//
// The services first stored these types untagged, so the driver named
// each field by its lower-cased Go name and wrote every field, empty or
// not; stores hold documents in that shape, so these types keep it. A
// service that stores one of these types otherwise keeps its own
// document type.
package eventdocs

import "fengqiao.dev/api/events"

// Agency is a stored events.Agency.
type Agency struct {
	Kind string `bson:"kind"`
	ID   string `bson:"id"`
	Name string `bson:"name"`
}

// AgencyOf is a as stored.
func AgencyOf(a events.Agency) Agency {
	return Agency{Kind: string(a.Kind), ID: a.ID, Name: a.Name}
}

// Event is the agency d stores.
func (d Agency) Event() events.Agency {
	return events.Agency{Kind: events.AgencyKind(d.Kind), ID: d.ID, Name: d.Name}
}

// Place is a stored events.Place.
type Place struct {
	CountyCode   string `bson:"countycode"`
	TownshipCode string `bson:"townshipcode"`
	VillageCode  string `bson:"villagecode"`
	Grid         string `bson:"grid"`
}

// PlaceOf is p as stored.
func PlaceOf(p events.Place) Place {
	return Place{CountyCode: p.CountyCode, TownshipCode: p.TownshipCode, VillageCode: p.VillageCode, Grid: p.Grid}
}

// Event is the place d stores.
func (d Place) Event() events.Place {
	return events.Place{CountyCode: d.CountyCode, TownshipCode: d.TownshipCode, VillageCode: d.VillageCode, Grid: d.Grid}
}

package eventdocs_test

import (
	"testing"

	"fengqiao.dev/pkg/docstore/eventdocs"
	"fengqiao.dev/pkg/docstore/storedshape"
)

func TestRoundTrip(t *testing.T) {
	t.Run("agency", func(t *testing.T) { storedshape.RoundTrip(t, eventdocs.AgencyOf, eventdocs.Agency.Event) })
	t.Run("place", func(t *testing.T) { storedshape.RoundTrip(t, eventdocs.PlaceOf, eventdocs.Place.Event) })
}

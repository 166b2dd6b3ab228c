package bootstrap

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/pkg/docstore"
)

// MappedCollection is Collection for an aggregate of the service's domain
// kept through the storage model of the service's adapters: mapped builds
// the collection on the store's (docstore.Mapped with the adapter's
// mapping), and the relay publishes its outbox as it does any aggregate's.
// Call it before Run.
func MappedCollection[S any](s *Service, name string, mapped func(*mongo.Collection) *docstore.Collection[S]) *docstore.Collection[S] {
	c := s.DB.Collection(s.Name + "." + name)
	s.colls = append(s.colls, c)
	return mapped(c).NotifyPending(s.relay.Pending)
}

package bootstrap

import "fengqiao.dev/pkg/docstore"

// MappedCollection is Collection for an aggregate of a service's domain,
// kept through the storage model of the service's adapter
// (docstore.Mapped): the relay publishes its outbox as Collection's.
func MappedCollection[S, D any](s *Service, name string, toDocument func(S) D, fromDocument func(D) S) *docstore.Collection[S] {
	c := s.DB.Collection(s.Name + "." + name)
	s.colls = append(s.colls, c)
	return docstore.Mapped(c, nil, toDocument, fromDocument).NotifyPending(s.relay.Pending)
}

// MappedDocuments is Documents kept through a storage model
// (docstore.Mapped).
func MappedDocuments[S, D any](s *Service, name string, toDocument func(S) D, fromDocument func(D) S) *docstore.Collection[S] {
	return docstore.Mapped(s.DB.Collection(s.Name+"."+name), nil, toDocument, fromDocument)
}

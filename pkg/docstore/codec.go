package docstore

import (
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// A codec says how a state is kept in its document's "state" field. The
// default keeps the state type as the driver encodes it, which suits the
// platform's own index documents (queues, due seconds, marks). An aggregate
// of a service's domain is kept through a storage model of the service's
// adapter instead (Mapped), so the domain type carries no storage tags and
// its stored shape can change without touching its rules.
type codec[S any] struct {
	encode func(S) any
	decode func(bson.RawValue) (S, error)
}

func identityCodec[S any]() codec[S] {
	return codec[S]{
		encode: func(s S) any { return s },
		decode: func(raw bson.RawValue) (S, error) {
			var s S
			err := raw.Unmarshal(&s)
			return s, err
		},
	}
}

// Mapped wraps coll for aggregates of type S stored as documents of type D:
// toDocument and fromDocument, written beside the service's store adapter,
// map one to the other. Queries (Find) name the fields of D.
func Mapped[S, D any](coll *mongo.Collection, onOutbox func(), toDocument func(S) D, fromDocument func(D) S) *Collection[S] {
	c := New[S](coll, onOutbox)
	c.codec = codec[S]{
		encode: func(s S) any { return toDocument(s) },
		decode: func(raw bson.RawValue) (S, error) {
			var d D
			if err := raw.Unmarshal(&d); err != nil {
				var zero S
				return zero, err
			}
			return fromDocument(d), nil
		},
	}
	return c
}

// decodeRecord reads a document whose state is still encoded (the driver
// decodes Record[bson.RawValue] without knowing S) into a Record of S.
func (c *Collection[S]) decodeRecord(raw Record[bson.RawValue]) (Record[S], error) {
	s, err := c.codec.decode(raw.State)
	if err != nil {
		return Record[S]{}, fmt.Errorf("while decoding %s %s: %w", c.coll.Name(), raw.ID, err)
	}
	return Record[S]{ID: raw.ID, Version: raw.Version, State: s, Outbox: raw.Outbox, Pending: raw.Pending,
		Applied: raw.Applied, ForgottenUntil: raw.ForgottenUntil, CreatedAt: raw.CreatedAt, UpdatedAt: raw.UpdatedAt}, nil
}

// encodeRecord is rec as written, its state through the codec.
func (c *Collection[S]) encodeRecord(rec Record[S]) Record[any] {
	return Record[any]{ID: rec.ID, Version: rec.Version, State: c.codec.encode(rec.State), Outbox: rec.Outbox, Pending: rec.Pending,
		Applied: rec.Applied, ForgottenUntil: rec.ForgottenUntil, CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt}
}

// AsStored is s as a read of the store gives it back: encoded through the
// codec and decoded again, so times are kept to the millisecond in UTC and
// whatever the stored shape drops is dropped. A caller that builds from
// states it holds in memory what it would otherwise build from the states
// it wrote and read back (a replay's read models) uses it to build the same.
func (c *Collection[S]) AsStored(s S) (S, error) {
	var zero S
	b, err := bson.Marshal(bson.D{{Key: "state", Value: c.codec.encode(s)}})
	if err != nil {
		return zero, fmt.Errorf("while encoding a state of %s: %w", c.coll.Name(), err)
	}
	var doc struct {
		State bson.RawValue `bson:"state"`
	}
	if err := bson.Unmarshal(b, &doc); err != nil {
		return zero, fmt.Errorf("while decoding a state of %s: %w", c.coll.Name(), err)
	}
	return c.codec.decode(doc.State)
}

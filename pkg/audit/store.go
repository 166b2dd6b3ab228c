package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/outbox"
)

// chainHead is the state of a chain's head document: the newest link, and
// that link in full, so a record whose insert a crash interrupted is
// written on the chain's next append.
type chainHead struct {
	Head `bson:",inline"`
	Last string `bson:"last"` // the newest Record, as JSON
}

// storedRecord is a record as kept: the JSON that was hashed, untouched,
// and beside it the fields the queries filter on.
type storedRecord struct {
	ID      string    `bson:"_id"` // chain and zero-padded seq: unique, and sorts in chain order
	Chain   string    `bson:"chain"`
	Seq     int64     `bson:"seq"`
	CaseID  string    `bson:"case_id"`
	County  string    `bson:"county"`
	Officer string    `bson:"officer"`
	At      time.Time `bson:"at"`
	Record  string    `bson:"record"`
}

// Store appends to and reads one service's audit chains.
type Store struct {
	service string
	shards  int
	heads   *docstore.Collection[chainHead]
	records *mongo.Collection
}

// DefaultShards is how many chains a service keeps per county. Appends to
// one chain are serialised on its head document; spreading a county's cases
// over several chains (by a hash of the case ID, so one case's records stay
// in one chain) lets that many appends proceed at once.
const DefaultShards = 8

// NewStore keeps service's chains in records and their heads in heads. The
// heads collection carries the outbox: give it the service's relay (e.g.
// through bootstrap.Collection) so every record reaches events.TopicAudit.
func NewStore(service string, heads *docstore.Collection[HeadState], records *mongo.Collection) *Store {
	return &Store{service: service, shards: DefaultShards, heads: heads, records: records}
}

// WithShards sets the number of chains per county (tests use one).
func (s *Store) WithShards(n int) *Store {
	s.shards = max(n, 1)
	return s
}

// chainOf names the chain a case's records go to.
func (s *Store) chainOf(county, caseID string) string {
	if s.shards == 1 {
		return ChainID(s.service, county)
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(caseID))
	return fmt.Sprintf("%s.%d", ChainID(s.service, county), h.Sum32()%uint32(s.shards))
}

// chainsOf names every chain of a county.
func (s *Store) chainsOf(county string) []string {
	if s.shards == 1 {
		return []string{ChainID(s.service, county)}
	}
	out := make([]string, s.shards)
	for i := range out {
		out[i] = fmt.Sprintf("%s.%d", ChainID(s.service, county), i)
	}
	return out
}

// appendAttempts bounds how often an append that lost the race for its
// chain's head tries again: each attempt is docstore's own retry budget.
const appendAttempts = 5

// HeadState is the type of a head document's state, for the caller that
// builds the heads collection (bootstrap.Collection[audit.HeadState]).
type HeadState = chainHead

// Append links e to its county's chain and stores it. The head moves and the
// record is queued for publication in one write of the head document (by
// _id, under docstore's version check, so concurrent appends serialise and
// none scans); the record itself is inserted after it.
func (s *Store) Append(ctx context.Context, e Entry) (Record, error) {
	chain := s.chainOf(e.County, e.CaseID)
	var previous string
	var head chainHead
	var err error
	for attempt := 0; attempt < appendAttempts; attempt++ {
		head, err = s.link(ctx, chain, e, &previous)
		if !errors.Is(err, docstore.ErrConflict) || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return Record{}, fmt.Errorf("cannot append to audit chain %s: %w", chain, err)
	}
	// The previous record is normally stored already (a duplicate, ignored);
	// after a crash between a head's write and its record's insert it is
	// not, and this is where it is written.
	for _, raw := range []string{previous, head.Last} {
		if raw == "" {
			continue
		}
		if err := s.insert(ctx, raw); err != nil {
			return Record{}, err
		}
	}
	var r Record
	if err := json.Unmarshal([]byte(head.Last), &r); err != nil {
		return Record{}, fmt.Errorf("cannot decode audit record of %s: %w", chain, err)
	}
	return r, nil
}

// link moves chain's head to e and queues its record for publication, in
// one write of the head document; previous receives the record it follows.
func (s *Store) link(ctx context.Context, chain string, e Entry, previous *string) (chainHead, error) {
	return s.heads.Update(ctx, chain, docstore.Options{Create: true}, func(ch *docstore.Change[chainHead]) error {
		r, h := Link(chain, ch.State.Head, e)
		last, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("cannot encode audit record %d of %s: %w", r.Seq, chain, err)
		}
		entry, err := outbox.New(ctx, s.service, r, r.At)
		if err != nil {
			return err
		}
		*previous = ch.State.Last
		ch.State = chainHead{Head: h, Last: string(last)}
		ch.Emit(entry)
		return nil
	})
}

// insert writes a record unless a record of its chain and seq is stored:
// records are only ever inserted, never replaced.
func (s *Store) insert(ctx context.Context, raw string) error {
	var r Record
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return fmt.Errorf("cannot decode audit record: %w", err)
	}
	doc := storedRecord{
		ID: recordID(r.Chain, r.Seq), Chain: r.Chain, Seq: r.Seq, CaseID: r.DisputeID, County: r.CountyCode,
		Officer: r.Actor.Officer, At: r.At, Record: raw,
	}
	if _, err := s.records.InsertOne(ctx, doc); err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("cannot store audit record %d of %s: %w", r.Seq, r.Chain, err)
	}
	return nil
}

func recordID(chain string, seq int64) string { return fmt.Sprintf("%s/%012d", chain, seq) }

// Query selects records of one county's cases: those about a case, or
// those of an officer in a time range. Zero fields do not filter.
type Query struct {
	County   string // required: the county whose cases the records are about
	CaseID   string
	Officer  string
	From, To time.Time // To is exclusive
}

// maxResults bounds one answer; an auditor narrows the range for more.
const maxResults = 1000

// Find returns the records q selects, oldest first. It filters on fields
// other than _id: the embedded store scans the collection for it, which an
// occasional audit query can afford and the append path never does.
func (s *Store) Find(ctx context.Context, q Query) ([]Record, error) {
	if q.County == "" {
		return nil, errors.New("cannot query the audit trail without a county")
	}
	filter := bson.D{{Key: "county", Value: q.County}}
	if q.CaseID != "" {
		filter = append(filter, bson.E{Key: "case_id", Value: q.CaseID})
	}
	if q.Officer != "" {
		filter = append(filter, bson.E{Key: "officer", Value: q.Officer})
	}
	at := bson.D{}
	if !q.From.IsZero() {
		at = append(at, bson.E{Key: "$gte", Value: q.From})
	}
	if !q.To.IsZero() {
		at = append(at, bson.E{Key: "$lt", Value: q.To})
	}
	if len(at) > 0 {
		filter = append(filter, bson.E{Key: "at", Value: at})
	}
	return s.find(ctx, filter, options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(maxResults))
}

// ChainState is one chain as Store.Verify found it.
type ChainState struct {
	Chain string `json:"chain"`
	Head
	// Broken says where the chain breaks; empty when it verifies.
	Broken string `json:"broken,omitempty"`
}

// Verify checks each of the county's chains of this service from its first
// record to its head (Verify). It fails only when a chain cannot be read; a
// chain that does not verify says so in its Broken.
func (s *Store) Verify(ctx context.Context, county string) ([]ChainState, error) {
	var out []ChainState
	for _, chain := range s.chainsOf(county) {
		head, err := s.verifyChain(ctx, chain)
		st := ChainState{Chain: chain, Head: head}
		switch {
		case isChainError(err):
			st.Broken = err.Error()
		case err != nil:
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (s *Store) verifyChain(ctx context.Context, chain string) (Head, error) {
	head, err := s.heads.Get(ctx, chain)
	if err != nil && !errors.Is(err, docstore.ErrNotFound) {
		return Head{}, fmt.Errorf("cannot read the head of audit chain %s: %w", chain, err)
	}
	records, err := s.find(ctx, bson.D{{Key: "chain", Value: chain}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return Head{}, err
	}
	return head.Head, Verify(chain, records, head.Head)
}

func (s *Store) find(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]Record, error) {
	cur, err := s.records.Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("while querying the audit trail: %w", err)
	}
	var docs []storedRecord
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("while reading the audit trail: %w", err)
	}
	out := make([]Record, 0, len(docs))
	for _, d := range docs {
		var r Record
		if err := json.Unmarshal([]byte(d.Record), &r); err != nil {
			return nil, fmt.Errorf("cannot decode audit record %s: %w", d.ID, err)
		}
		out = append(out, r)
	}
	return out, nil
}

package supervision

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/supervision/internal/adapters"
	"fengqiao.dev/services/supervision/internal/app"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// ReplayStats say what a replay read.
type ReplayStats struct {
	Read, Projected, Skipped int
}

// Replay drops supervision's read models (the case files every figure is
// computed from) and rebuilds them from the event log: every internal topic
// from its first offset to its current end, through the same projection the
// consumer runs, since every read model must be rebuildable from the event
// log. Run it with the service stopped; when the service starts again its
// consumer resumes from its committed offsets, and any event the replay
// already projected is recognised by its ID and skipped. The committee's
// own records (urges, watch list) are not a projection and are kept.
// Messages that do not decode are skipped: the consumer dead-lettered them.
//
// The replay projects in memory: every case file is built there from all
// its events and written once, new ones in bulk (insertChunk at a time), so
// the store sees one insert per case file instead of a load and a write per
// event. The events of one dispute lie on several topics, read one after the
// other, so a case file is complete only at the end of the read: writing
// case files earlier would have to load and rewrite them for the later
// topics' events, one store round trip each. Only past maxInMemory case
// files does the replay write what it holds and project later events of
// those case files by loading and updating them. Progress is logged every
// progressEvery events.
func Replay(ctx context.Context, cfg config.Common, log *slog.Logger) (ReplayStats, error) {
	return replay(ctx, cfg, log, maxInMemory)
}

// replay is Replay holding at most inMemory case files.
func replay(ctx context.Context, cfg config.Common, log *slog.Logger, inMemory int) (ReplayStats, error) {
	if log == nil {
		log = slog.Default()
	}
	client, err := mongo.Connect(options.Client().ApplyURI(cfg.MongoURI).SetAppName("fengqiao-supervision-replay"))
	if err != nil {
		return ReplayStats{}, fmt.Errorf("while connecting to MongoDB: %w", err)
	}
	defer func() { _ = client.Disconnect(context.Background()) }()
	db := client.Database(cfg.MongoDatabase)
	coll := db.Collection(Name + "." + caseFilesCollection)
	if err := coll.Drop(ctx); err != nil {
		return ReplayStats{}, fmt.Errorf("while dropping the case files: %w", err)
	}
	files := adapters.CaseFileCollection(coll)
	if err := files.EnsureIndexes(ctx, caseFileIndexes...); err != nil {
		return ReplayStats{}, err
	}
	r := newReplayer(files, log, inMemory)
	for _, topic := range events.InternalTopics() {
		// Without a consumer group: the replay moves no service's offsets.
		reader, err := messaging.ClusterFromConfig(cfg).TopicReader(topic)
		if err != nil {
			return r.stats, err
		}
		err = reader.ReadToEnd(ctx, func(batch []messaging.Message) error {
			for _, m := range batch {
				if err := r.read(ctx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return r.stats, err
		}
	}
	if err := r.flush(ctx); err != nil {
		return r.stats, err
	}
	// The figures' tallies, sums and the obligations index are a
	// projection of the case files: dropped here, the tallies and sums are
	// rebuilt from the new case files when the service starts, the
	// obligations index now, as the ledger reads nothing else.
	for _, c := range []string{talliesCollection, dueCollection, sumsCollection, keySumsCollection, unstaffedCollection, obligationsCollection, countsCollection} {
		if err := db.Collection(Name + "." + c).Drop(ctx); err != nil {
			return r.stats, fmt.Errorf("while dropping the figures' tallies: %w", err)
		}
	}
	obligations := &app.App{CaseFiles: adapters.CaseFiles{Collection: files}, Log: log,
		Obligations:      &queueindex.Index{Docs: docstore.New[queueindex.Doc](db.Collection(Name+"."+obligationsCollection), nil)},
		ObligationCounts: adapters.ObligationCountsCollection(db.Collection(Name + "." + countsCollection))}
	if err := obligations.EnsureObligations(ctx); err != nil {
		return r.stats, err
	}
	if err := obligations.EnsureObligationCounts(ctx); err != nil {
		return r.stats, err
	}
	log.Info("read models rebuilt from the event log", "read", r.stats.Read, "projected", r.stats.Projected,
		"skipped", r.stats.Skipped, "case_files", r.caseFiles(), "events_per_second", r.rate())
	return r.stats, nil
}

const (
	// maxInMemory bounds the case files a replay holds (a few KB each: a
	// dispute's lifecycle is a dozen entries); a county's year is about
	// 11,000 disputes, so a province's log of several years fits.
	maxInMemory = 200_000

	// progressEvery is how many events a replay reads between progress
	// lines.
	progressEvery = 50_000

	// insertChunk bounds one bulk insert of new case files.
	insertChunk = 1_000

	// updateBatch is how many events for case files already written are
	// held before they are applied.
	updateBatch = 20_000
)

// replayer projects the event log into case files held in memory.
type replayer struct {
	files       *docstore.Collection[casefile.CaseFile]
	log         *slog.Logger
	maxInMemory int
	stats       ReplayStats

	building map[string]*casefile.CaseFile // not yet written, by dispute
	stored   map[string]bool               // written by an earlier flush
	// pending holds events for stored case files, in the order read.
	pending  map[string][]casefile.Event
	buffered int
	started  time.Time
}

func newReplayer(files *docstore.Collection[casefile.CaseFile], log *slog.Logger, maxInMemory int) *replayer {
	return &replayer{files: files, log: log, maxInMemory: maxInMemory,
		building: map[string]*casefile.CaseFile{}, stored: map[string]bool{}, pending: map[string][]casefile.Event{},
		started: time.Now()}
}

// read projects one message; one that does not decode is skipped.
func (r *replayer) read(ctx context.Context, m messaging.Message) error {
	r.stats.Read++
	if r.stats.Read%progressEvery == 0 {
		r.log.Info("replaying the event log", "read", r.stats.Read, "projected", r.stats.Projected,
			"case_files", r.caseFiles(), "topic", m.Topic, "partition", m.Partition, "offset", m.Offset,
			"events_per_second", r.rate())
	}
	env, err := cloudevents.Parse(m.Headers)
	var p events.Payload
	if err == nil {
		p, err = events.Decode(env.Type, m.Value)
	}
	if err != nil || p == nil {
		r.stats.Skipped++
		return nil
	}
	key := p.DisputeKey()
	ev := casefile.Event{ID: env.ID, Time: env.Time, Payload: p, TraceID: messaging.PublishedTraceID(m)}
	if r.stored[key] {
		r.pending[key] = append(r.pending[key], ev)
		if r.buffered++; r.buffered >= updateBatch {
			return r.applyPending(ctx)
		}
		return nil
	}
	cf := r.building[key]
	if cf == nil {
		cf = &casefile.CaseFile{}
		r.building[key] = cf
	}
	_, counted := apply(cf, []casefile.Event{ev})
	r.count(counted)
	if len(r.building) >= r.maxInMemory {
		return r.flush(ctx)
	}
	return nil
}

func (r *replayer) caseFiles() int { return len(r.building) + len(r.stored) }

// flush writes the case files held in memory, in bulk, and applies the
// events held for case files written earlier.
func (r *replayer) flush(ctx context.Context) error {
	if err := r.applyPending(ctx); err != nil {
		return err
	}
	if len(r.building) == 0 {
		return nil
	}
	fresh := make([]docstore.Fresh[casefile.CaseFile], 0, len(r.building))
	for _, key := range slices.Sorted(maps.Keys(r.building)) {
		cf := r.building[key]
		if len(cf.Timeline) == 0 {
			continue // every event of it was skipped
		}
		fresh = append(fresh, docstore.Fresh[casefile.CaseFile]{ID: key, State: *cf})
		r.stored[key] = true
	}
	for chunk := range slices.Chunk(fresh, insertChunk) {
		if _, err := r.files.CreateMany(ctx, chunk); err != nil {
			return fmt.Errorf("while writing the rebuilt case files: %w", err)
		}
	}
	clear(r.building)
	r.log.Info("replay wrote case files", "written", len(fresh), "read", r.stats.Read, "events_per_second", r.rate())
	return nil
}

// applyPending applies the held events to the case files written earlier,
// one update per case file.
func (r *replayer) applyPending(ctx context.Context) error {
	for _, key := range slices.Sorted(maps.Keys(r.pending)) {
		if err := r.update(ctx, key, r.pending[key]); err != nil {
			return err
		}
	}
	clear(r.pending)
	r.buffered = 0
	return nil
}

// update applies a batch's events to a case file an earlier batch wrote.
func (r *replayer) update(ctx context.Context, key string, evs []casefile.Event) error {
	var counted ReplayStats
	_, err := r.files.Update(ctx, key, docstore.Options{}, func(ch *docstore.Change[casefile.CaseFile]) error {
		var added bool
		added, counted = apply(&ch.State, evs)
		if !added {
			return docstore.ErrNoChange
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("while projecting into case file %s: %w", key, err)
	}
	r.count(counted)
	return nil
}

// apply applies evs to cf and reports whether any was added, and how many
// were projected and skipped: a type the case files do not follow is
// skipped.
func apply(cf *casefile.CaseFile, evs []casefile.Event) (added bool, st ReplayStats) {
	for _, ev := range evs {
		ok, err := cf.Apply(ev)
		if err != nil {
			st.Skipped++
			continue
		}
		st.Projected++
		added = added || ok
	}
	return added, st
}

func (r *replayer) count(st ReplayStats) {
	r.stats.Projected += st.Projected
	r.stats.Skipped += st.Skipped
}

func (r *replayer) rate() float64 {
	return float64(r.stats.Read) / max(time.Since(r.started).Seconds(), 1e-9)
}

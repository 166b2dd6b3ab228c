package supervision

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/segmentio/kafka-go"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// ReplayStats say what a replay read.
type ReplayStats struct {
	Read, Projected, Skipped int
}

// Replay drops supervision's read models (the case files every figure is
// computed from) and rebuilds them from the event log: every internal topic
// from its first offset to its current end, through the same projection the
// consumer runs (issue 7: "every read model can be rebuilt from the event
// log"). Run it with the service stopped; when the service starts again its
// consumer resumes from its committed offsets, and any event the replay
// already projected is recognised by its ID and skipped. The committee's
// own records (urges, watch list) are not a projection and are kept.
// Messages that do not decode are skipped: the consumer dead-lettered them.
//
// Events are projected in batches of replayBatch: each batch's events are
// applied in memory and every case file they touch is written once, new ones
// in bulk, so the store sees one write per case file and batch instead of a
// load and a write per event. Progress is logged after every batch.
func Replay(ctx context.Context, cfg config.Common, log *slog.Logger) (ReplayStats, error) {
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
	files := docstore.New[casefile.CaseFile](coll, nil)
	if err := files.EnsureIndexes(ctx, caseFileIndexes...); err != nil {
		return ReplayStats{}, err
	}
	r := &replayer{files: files, log: log, pending: map[string][]casefile.Event{}, stored: map[string]bool{}, started: time.Now()}
	for _, topic := range events.InternalTopics() {
		err := readLog(ctx, messaging.ClusterFromConfig(cfg), topic, func(m kafka.Message) error {
			r.read(m)
			if r.buffered >= replayBatch {
				return r.flush(ctx)
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
	// The figures' tallies are a projection of the case files: dropped
	// here, they are rebuilt from the new case files when the service
	// starts.
	if err := db.Collection(Name + "." + talliesCollection).Drop(ctx); err != nil {
		return r.stats, fmt.Errorf("while dropping the figures' tallies: %w", err)
	}
	log.Info("read models rebuilt from the event log", "read", r.stats.Read, "projected", r.stats.Projected,
		"skipped", r.stats.Skipped, "case_files", len(r.stored), "events_per_second", r.rate())
	return r.stats, nil
}

// replayBatch is how many events a replay holds in memory before it writes
// the case files they touch.
const replayBatch = 20_000

// insertChunk bounds one bulk insert of new case files.
const insertChunk = 1_000

// replayer projects the event log in batches.
type replayer struct {
	files    *docstore.Collection[casefile.CaseFile]
	log      *slog.Logger
	stats    ReplayStats
	pending  map[string][]casefile.Event // by case file, in the order read
	buffered int
	stored   map[string]bool // case files an earlier batch wrote
	started  time.Time
}

// read decodes one message into the batch; one that does not decode is
// skipped.
func (r *replayer) read(m kafka.Message) {
	r.stats.Read++
	env, err := cloudevents.Parse(m.Headers)
	var p events.Payload
	if err == nil {
		p, err = events.Decode(env.Type, m.Value)
	}
	if err != nil || p == nil {
		r.stats.Skipped++
		return
	}
	key := p.DisputeKey()
	r.pending[key] = append(r.pending[key], casefile.Event{ID: env.ID, Time: env.Time, Payload: p, TraceID: messaging.PublishedTraceID(m)})
	r.buffered++
}

// flush writes every case file the batch touches: the new ones built in
// memory and inserted in bulk, the ones an earlier batch wrote updated once.
func (r *replayer) flush(ctx context.Context) error {
	if r.buffered == 0 {
		return nil
	}
	keys := slices.Sorted(maps.Keys(r.pending))
	var fresh []any
	now := time.Now().UTC()
	for _, key := range keys {
		if r.stored[key] {
			if err := r.update(ctx, key, r.pending[key]); err != nil {
				return err
			}
			continue
		}
		var cf casefile.CaseFile
		added, counted := apply(&cf, r.pending[key])
		r.count(counted)
		if added {
			fresh = append(fresh, docstore.Record[casefile.CaseFile]{ID: key, Version: 1, State: cf,
				Outbox: []outbox.Entry{}, Applied: []string{}, CreatedAt: now, UpdatedAt: now})
			r.stored[key] = true
		}
	}
	for chunk := range slices.Chunk(fresh, insertChunk) {
		if _, err := r.files.Mongo().InsertMany(ctx, chunk); err != nil {
			return fmt.Errorf("while writing the rebuilt case files: %w", err)
		}
	}
	clear(r.pending)
	r.buffered = 0
	r.log.Info("replaying the event log", "read", r.stats.Read, "projected", r.stats.Projected,
		"case_files", len(r.stored), "events_per_second", r.rate())
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

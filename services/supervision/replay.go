package supervision

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"runtime"
	"slices"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/policywatch"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/supervision/internal/adapters"
	"fengqiao.dev/services/supervision/internal/app"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// ReplayStats say what a replay read.
type ReplayStats struct {
	Read, Projected, Skipped int
}

// Replay drops supervision's read models (the case files and everything
// computed from them: tallies and their due index, sums, sums by key,
// unstaffed lists, the obligations index and its counts) and rebuilds them
// from the event log: every internal topic from its first offset to its
// current end, through the same projection the consumer runs, since every
// read model must be rebuildable from the event log. Run it with the
// service stopped; when the service starts again its consumer resumes from
// its committed offsets, and any event the replay already projected is
// recognised by its ID and skipped. The committee's own records (urges,
// watch list) and the figures last reported are not a projection and are
// kept.
// Messages that do not decode are skipped: the consumer dead-lettered them.
//
// The replay projects in memory: every case file is built there from all
// its events. The events of one dispute lie on several topics, read one
// after the other, so a case file is complete only at the end of the read:
// writing case files earlier would have to load and rewrite them for the
// later topics' events, one store round trip each. The other read models
// are then built in memory from the case files (staged), by the builds the
// service runs at start-up, which therefore find them built; every
// collection is written in bulk (insertChunk documents a command), the
// collections side by side. Only past maxInMemory case files does the
// replay write what it holds early, project later events of those case
// files by loading and updating them, and read the case files back to
// build the rest. Progress is logged every progressEvery events and as
// each collection is written.
func Replay(ctx context.Context, cfg config.Common, log *slog.Logger) (ReplayStats, error) {
	return replay(ctx, cfg, log, maxInMemory)
}

// readModelCollections are the collections a replay drops and rebuilds,
// besides the case files.
var readModelCollections = []string{talliesCollection, dueCollection, sumsCollection, keySumsCollection,
	unstaffedCollection, obligationsCollection, countsCollection}

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
	for _, c := range append([]string{caseFilesCollection}, readModelCollections...) {
		if err := db.Collection(Name + "." + c).Drop(ctx); err != nil {
			return ReplayStats{}, fmt.Errorf("while dropping %s: %w", c, err)
		}
	}
	files := adapters.CaseFileCollection(db.Collection(Name + "." + caseFilesCollection))
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
	held, err := r.finish(ctx)
	if err != nil {
		return r.stats, err
	}
	log.Info("replay read the event log", "read", r.stats.Read, "projected", r.stats.Projected,
		"skipped", r.stats.Skipped, "case_files", r.caseFiles(), "events_per_second", r.rate())
	// The case files are written while the other read models are built
	// from them in memory.
	writing, cancel := context.WithCancel(ctx)
	defer cancel()
	writes := newBulkWrites(log)
	if !r.spilled {
		writes.run(writing, r.caseFileWrite())
	}
	if err := buildAndWrite(writing, cfg, db, held, writes, log); err != nil {
		cancel()
		return r.stats, errors.Join(err, writes.wait())
	}
	if err := writes.wait(); err != nil {
		return r.stats, err
	}
	log.Info("read models rebuilt from the event log", "read", r.stats.Read, "projected", r.stats.Projected,
		"skipped", r.stats.Skipped, "case_files", r.caseFiles(), "events_per_second", r.rate())
	return r.stats, nil
}

// buildAndWrite builds the read models but the case files in memory from
// files and starts their writes.
func buildAndWrite(ctx context.Context, cfg config.Common, db *mongo.Database, files app.CaseFiles, writes *bulkWrites, log *slog.Logger) error {
	policies, err := loadPolicies(ctx, cfg, log)
	if err != nil {
		return err
	}
	models := newStagedModels()
	if err := models.build(ctx, files, policies, log); err != nil {
		return err
	}
	log.Info("replay built the read models in memory")
	for _, w := range models.writes(db) {
		writes.run(ctx, w)
	}
	return nil
}

// stagedModels are the read models a replay builds in memory.
type stagedModels struct {
	tallies     *staged[casefile.Tally]
	due         *staged[casefile.DueSlot]
	sums        *staged[casefile.Sums]
	keySums     *staged[casefile.KeySums]
	unstaffed   *staged[casefile.UnstaffedList]
	obligations *staged[queueindex.Doc]
	counts      *staged[casefile.ObligationCounts]
}

func newStagedModels() stagedModels {
	return stagedModels{tallies: newStaged[casefile.Tally](talliesCollection), due: newStaged[casefile.DueSlot](dueCollection),
		sums: newStaged[casefile.Sums](sumsCollection), keySums: newStaged[casefile.KeySums](keySumsCollection),
		unstaffed:   newStaged[casefile.UnstaffedList](unstaffedCollection),
		obligations: newStaged[queueindex.Doc](obligationsCollection), counts: newStaged[casefile.ObligationCounts](countsCollection)}
}

// loadPolicies reads the counties' policies as the service has them when
// it starts: the tallies, sums and overdue queues follow each county's
// deadlines.
func loadPolicies(ctx context.Context, cfg config.Common, log *slog.Logger) (*policywatch.Watcher, error) {
	cluster := messaging.ClusterFromConfig(cfg)
	mech, err := cluster.SASL()
	if err != nil {
		return nil, err
	}
	policies := policywatch.New(policywatch.Config{Brokers: cfg.KafkaBrokers, Logger: log, SASL: mech, TLS: cluster.TLS()})
	if err := policies.Load(ctx); err != nil {
		return nil, err
	}
	return policies, nil
}

// build runs the service's start-up builds of its read models on the
// staged collections, from files, under the counties' policies: what the
// service would build on the store when it starts, without a store round
// trip.
func (m stagedModels) build(ctx context.Context, files app.CaseFiles, policies *policywatch.Watcher, log *slog.Logger) error {
	a := &app.App{CaseFiles: files, Now: time.Now, Log: log, Policy: func(county string) *policy.CountyPolicy {
		p, _ := policies.Policy(county)
		return p
	},
		Tallies: stagedTallies{m.tallies}, DueSlots: m.due, Sums: m.sums, KeySums: m.keySums, UnstaffedLists: m.unstaffed,
		Obligations:      &queueindex.Index{Docs: m.obligations, OnlyWriter: true},
		ObligationCounts: m.counts}
	if err := a.EnsureTallies(ctx, log); err != nil {
		return err
	}
	if err := a.EnsureSums(ctx); err != nil {
		return err
	}
	if err := a.EnsureObligations(ctx); err != nil {
		return err
	}
	return a.EnsureObligationCounts(ctx)
}

// writes are the bulk writes of the staged read models, each through its
// storage model.
func (m stagedModels) writes(db *mongo.Database) []collectionWrite {
	coll := func(name string) *mongo.Collection { return db.Collection(Name + "." + name) }
	return []collectionWrite{
		stagedWrite(m.tallies, adapters.TallyCollection(coll(talliesCollection))),
		stagedWrite(m.due, adapters.DueSlotCollection(coll(dueCollection))),
		stagedWrite(m.sums, adapters.SumsCollection(coll(sumsCollection))),
		stagedWrite(m.keySums, adapters.KeySumsCollection(coll(keySumsCollection))),
		stagedWrite(m.unstaffed, adapters.UnstaffedListCollection(coll(unstaffedCollection))),
		stagedWrite(m.obligations, docstore.New[queueindex.Doc](coll(obligationsCollection), nil)),
		stagedWrite(m.counts, adapters.ObligationCountsCollection(coll(countsCollection))),
	}
}

// collectionWrite writes one rebuilt collection.
type collectionWrite struct {
	name string
	docs int
	// write writes the documents in bulk, calling wrote after each command
	// with how many it wrote.
	write func(ctx context.Context, wrote func(int)) error
}

func stagedWrite[S any](s *staged[S], to *docstore.Collection[S]) collectionWrite {
	docs := s.fresh()
	return collectionWrite{name: s.name, docs: len(docs), write: func(ctx context.Context, wrote func(int)) error {
		return insertRecords(ctx, to, docs, wrote)
	}}
}

// insertRecords creates docs in coll, which the replay dropped, in bulk:
// insertChunk documents a command, in order. It is the one place a replay
// writes records.
func insertRecords[S any](ctx context.Context, coll *docstore.Collection[S], docs []docstore.Fresh[S], wrote func(int)) error {
	for chunk := range slices.Chunk(docs, insertChunk) {
		existing, err := coll.CreateMany(ctx, chunk)
		if err == nil && len(existing) > 0 {
			err = fmt.Errorf("%s exists already", existing[0])
		}
		if err != nil {
			return fmt.Errorf("while writing the rebuilt %s: %w", coll.Mongo().Name(), err)
		}
		wrote(len(chunk))
	}
	return nil
}

// bulkWrites run collections' writes side by side: the store serialises
// the transactions, not the encoding and decoding around them (the
// driver's, the wire's, FerretDB's), which the cores then share. Each
// collection is written in order, so that its documents are read back
// oldest first as written.
type bulkWrites struct {
	log   *slog.Logger
	start time.Time
	wg    sync.WaitGroup

	mu                     sync.Mutex
	errs                   []error
	total, written, logged int
}

func newBulkWrites(log *slog.Logger) *bulkWrites { return &bulkWrites{log: log, start: time.Now()} }

// run starts w.
func (b *bulkWrites) run(ctx context.Context, w collectionWrite) {
	b.mu.Lock()
	b.total += w.docs
	b.mu.Unlock()
	b.wg.Go(func() {
		err := w.write(ctx, b.wrote)
		b.mu.Lock()
		defer b.mu.Unlock()
		if err != nil {
			b.errs = append(b.errs, err)
			return
		}
		b.log.Info("replay wrote a read model", "collection", w.name, "documents", w.docs, "seconds", time.Since(b.start).Seconds())
	})
}

func (b *bulkWrites) wrote(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.written += n; b.written-b.logged >= progressDocuments || b.written == b.total {
		b.logged = b.written
		b.log.Info("replay writing the read models", "written", b.written, "documents", b.total,
			"documents_per_second", float64(b.written)/max(time.Since(b.start).Seconds(), 1e-9))
	}
}

// wait waits for every write started and joins their errors.
func (b *bulkWrites) wait() error {
	b.wg.Wait()
	return errors.Join(b.errs...)
}

const (
	// maxInMemory bounds the case files a replay holds (a few KB each: a
	// dispute's lifecycle is a dozen entries); a county's year is about
	// 11,000 disputes, so a province's log of several years fits.
	maxInMemory = 200_000

	// progressEvery is how many events a replay reads between progress
	// lines.
	progressEvery = 50_000

	// insertChunk bounds one bulk insert.
	insertChunk = 1_000

	// progressDocuments is how many documents a replay writes between
	// progress lines.
	progressDocuments = 20_000

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
	// spilled says the case files did not all fit in memory: some were
	// written before the end of the log.
	spilled bool
	// written are the case files finish held, to write with the read
	// models.
	written []docstore.Fresh[casefile.CaseFile]
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
		r.spilled = true
		return r.flush(ctx)
	}
	return nil
}

func (r *replayer) caseFiles() int { return len(r.building) + len(r.stored) }

// held are the case files built, as the store will hold them, by dispute
// key, in key order; those every event of which was skipped are left out.
func (r *replayer) held() ([]docstore.Fresh[casefile.CaseFile], error) {
	keys := slices.Sorted(maps.Keys(r.building))
	keys = slices.DeleteFunc(keys, func(k string) bool { return len(r.building[k].Timeline) == 0 })
	out := make([]docstore.Fresh[casefile.CaseFile], len(keys))
	errs := make([]error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range errs {
		wg.Go(func() {
			for i := w; i < len(keys); i += len(errs) {
				cf, err := r.files.AsStored(*r.building[keys[i]])
				if err != nil {
					errs[w] = err
					return
				}
				out[i] = docstore.Fresh[casefile.CaseFile]{ID: keys[i], State: cf}
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// finish ends the read: it returns the case files to build the other read
// models from. Those held in memory are read as the store will give them
// back (docstore.Collection.AsStored: times to the millisecond), so the
// read models are built from what a build from the store would read; they
// are written with the read models (caseFileWrite). Past the bound, the
// rest are written now and read back from the store.
func (r *replayer) finish(ctx context.Context) (app.CaseFiles, error) {
	if r.spilled {
		if err := r.flush(ctx); err != nil {
			return nil, err
		}
		return adapters.CaseFiles{Collection: r.files}, nil
	}
	held, err := r.held()
	if err != nil {
		return nil, err
	}
	r.written = held
	files := make([]casefile.CaseFile, len(held))
	for i, h := range held {
		files[i] = h.State
	}
	return heldCaseFiles{files: files}, nil
}

// caseFileWrite is the bulk write of the case files finish held.
func (r *replayer) caseFileWrite() collectionWrite {
	docs := r.written
	return collectionWrite{name: caseFilesCollection, docs: len(docs), write: func(ctx context.Context, wrote func(int)) error {
		return insertRecords(ctx, r.files, docs, wrote)
	}}
}

// flush writes the case files held in memory, in bulk, and applies the
// events held for case files written earlier.
func (r *replayer) flush(ctx context.Context) error {
	if err := r.applyPending(ctx); err != nil {
		return err
	}
	if len(r.building) == 0 {
		return nil
	}
	fresh, err := r.held()
	if err != nil {
		return err
	}
	if err := insertRecords(ctx, r.files, fresh, func(int) {}); err != nil {
		return err
	}
	for _, f := range fresh {
		r.stored[f.ID] = true
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

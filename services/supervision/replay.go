package supervision

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/segmentio/kafka-go"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/messaging"
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
// consumer runs (issue 7: "every read model can be rebuilt from the event
// log"). Run it with the service stopped; when the service starts again its
// consumer resumes from its committed offsets, and any event the replay
// already projected is recognised by its ID and skipped. The committee's
// own records (urges, watch list) are not a projection and are kept.
// Messages that do not decode are skipped: the consumer dead-lettered them.
func Replay(ctx context.Context, cfg config.Common, log *slog.Logger) (ReplayStats, error) {
	if log == nil {
		log = slog.Default()
	}
	client, err := mongo.Connect(options.Client().ApplyURI(cfg.MongoURI).SetAppName("fengqiao-supervision-replay"))
	if err != nil {
		return ReplayStats{}, fmt.Errorf("while connecting to MongoDB: %w", err)
	}
	defer func() { _ = client.Disconnect(context.Background()) }()
	coll := client.Database(cfg.MongoDatabase).Collection(Name + "." + caseFilesCollection)
	if err := coll.Drop(ctx); err != nil {
		return ReplayStats{}, fmt.Errorf("while dropping the case files: %w", err)
	}
	files := docstore.New[casefile.CaseFile](coll, nil)
	if err := files.EnsureIndexes(ctx, caseFileIndexes...); err != nil {
		return ReplayStats{}, err
	}
	a := &app.App{CaseFiles: files}
	var st ReplayStats
	for _, topic := range events.InternalTopics() {
		err := readLog(ctx, messaging.ClusterFromConfig(cfg), topic, func(m kafka.Message) error {
			st.Read++
			return project(ctx, a, m, &st)
		})
		if err != nil {
			return st, err
		}
	}
	log.Info("read models rebuilt from the event log", "read", st.Read, "projected", st.Projected, "skipped", st.Skipped)
	return st, nil
}

func project(ctx context.Context, a *app.App, m kafka.Message, st *ReplayStats) error {
	env, err := cloudevents.Parse(m.Headers)
	var p events.Payload
	if err == nil {
		p, err = events.Decode(env.Type, m.Value)
	}
	if err == nil {
		err = a.ProjectCaseFile(ctx, casefile.Event{ID: env.ID, Time: env.Time, Payload: p})
	}
	switch {
	case err == nil:
		st.Projected++
	case errors.Is(err, casefile.ErrUnsupported) || p == nil:
		st.Skipped++
	default:
		return fmt.Errorf("while projecting event %s: %w", env.ID, err)
	}
	return nil
}

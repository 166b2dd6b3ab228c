package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/api/events"
	"fengqiao.dev/devstack"
	"fengqiao.dev/devstack/idp"
	"fengqiao.dev/embedded"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/supervision"
)

// BenchmarkConsolePages renders the console's work pages — the centre's
// inbox, the station's cases, and the committee's county figures, daily
// ledger and overdue list — through the console's HTTP server against the
// real services on the embedded broker and store (FerretDB on SQLite),
// with 100 and with 10,000 disputes of Linxia stored (BENCH_CONSOLE_DISPUTES
// sets the larger number). The target is under 200 ms a page at 10,000.
// Besides the wall time per page it reports the process's CPU per page
// (cpu-ms/op), every part of the platform included.
//
// Registering 10,000 disputes through the API takes most of an hour on two
// cores, so the stores are seeded before the services start, each the way
// it is rebuilt in operation: supervision's case files by supervision's own
// Replay from an event log of the disputes' lifecycles (published on a
// scratch broker, so the platform's consumers never see it), intake's
// disputes and referral's slips inserted in bulk as the documents those
// services write, from which each service files its work queues once at
// start-up (queueindex.BuildFrom). BENCH_CONSOLE_SEEDS keeps the seeded
// stores between runs (see seededStore).
func BenchmarkConsolePages(b *testing.B) {
	if testing.Short() {
		b.Skip("starts the platform")
	}
	large := 10_000
	if n, err := strconv.Atoi(os.Getenv("BENCH_CONSOLE_DISPUTES")); err == nil && n > 0 {
		large = n
	}
	for _, stored := range []int{100, large} {
		p := seededPlatform(b, stored)
		users := map[string]*http.Client{}
		for _, user := range []string{"centre-622901", "officer-622901", "committee-622901"} {
			users[user] = signedInClient(b, p, user)
		}
		for _, pg := range []struct{ name, user, path, shows string }{
			{"inbox", "centre-622901", "/inbox", "u-"},
			{"cases", "officer-622901", "/cases", "/disputes/"},
			{"county", "committee-622901", "/county", `id="kpi-registered"`},
			{"ledger", "committee-622901", "/ledger", `id="ledger-table"`},
			{"overdue", "committee-622901", "/overdue", `id="overdue-table"`},
		} {
			b.Run(fmt.Sprintf("%s/%d_disputes", pg.name, stored), func(b *testing.B) {
				// The first request also reads the county's names, which the
				// console then keeps a minute.
				getPage(b, users[pg.user], p.ConsoleURL+pg.path, pg.shows)
				measure(b, func() { getPage(b, users[pg.user], p.ConsoleURL+pg.path, pg.shows) })
			})
		}
		// What the committee's pages wait for: supervision's own answers,
		// as the console asks for them (the KPIs counting the overdue
		// disputes without listing them, the ledger listing its first 50
		// overdue things), read with the committee's token and a longer
		// time-out than the console's.
		token, err := p.UserToken(context.Background(), "committee-622901")
		if err != nil {
			b.Fatal(err)
		}
		direct := &http.Client{Timeout: directTimeout}
		for _, route := range []struct{ name, query string }{
			{"kpis", "?overdue_cases=false"}, {"warnings", ""}, {"ledger", "?overdue_limit=50"},
		} {
			b.Run(fmt.Sprintf("supervision-%s/%d_disputes", route.name, stored), func(b *testing.B) {
				measure(b, func() {
					getJSON(b, direct, token, p.URLs[supervision.Name]+"/v1/counties/"+benchCounty+"/"+route.name+route.query)
				})
			})
		}
	}
}

// measure runs one request per iteration and reports the process's CPU
// per request besides the wall time. With BENCH_CONSOLE_CPUPROFILE set to
// a directory, it writes there a CPU profile of the measured requests
// alone, one file per benchmark, without the seeding and start-up that
// -cpuprofile would also take in.
func measure(b *testing.B, request func()) {
	if dir := os.Getenv("BENCH_CONSOLE_CPUPROFILE"); dir != "" {
		f, err := os.Create(filepath.Join(dir, strings.ReplaceAll(b.Name(), "/", "_")+".cpu"))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	cpu, n := processCPU(b), 0
	for b.Loop() {
		request()
		n++
	}
	b.ReportMetric(float64((processCPU(b)-cpu).Microseconds())/1000/float64(n), "cpu-ms/op")
}

func getJSON(b *testing.B, client *http.Client, token, u string) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	var timeout net.Error
	if errors.As(err, &timeout) && timeout.Timeout() {
		b.Skipf("GET %s: no answer within %v", u, directTimeout)
	}
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
}

// processCPU is the CPU time this process has used, user and system: the
// console, the services, the broker and the store all run in it, so on a
// shared machine it says what a page costs where wall time also says how
// busy the machine was.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// getPage reads a page. A page the console could not serve because a
// service did not answer within the console's 15 s skips the benchmark
// with that reason, so that `make bench` reports it and goes on.
func getPage(b *testing.B, client *http.Client, pageURL, shows string) {
	start := time.Now()
	resp, err := client.Get(pageURL)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusInternalServerError && time.Since(start) >= consoleServiceTimeout {
		b.Skipf("GET %s: the console gave up after %v waiting for a service", pageURL, time.Since(start).Round(time.Second))
	}
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), shows) {
		b.Fatalf("GET %s: %d %v, the page lacks %q", pageURL, resp.StatusCode, err, shows)
	}
}

// consoleServiceTimeout is how long the console waits for a service
// (its default client's time-out).
const consoleServiceTimeout = 15 * time.Second

// directTimeout bounds one answer of supervision read directly.
const directTimeout = 2 * time.Minute

// seededPlatform starts the platform on a data directory whose store holds
// n disputes of Linxia, and waits for the services.
func seededPlatform(b *testing.B, n int) *devstack.Platform {
	b.Helper()
	dir := b.TempDir()
	seededStore(b, filepath.Join(dir, "mongo"), n)
	ctx, cancel := context.WithCancel(context.Background())
	p, err := devstack.Start(ctx, devstack.Options{DataDir: dir, PolicyDir: samplePolicies, StoreBackend: embedded.BackendSQLite,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		cancel()
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	b.Cleanup(func() {
		cancel()
		<-done
	})
	for name, u := range p.URLs {
		servicetest.Eventually(b, 2*time.Minute, name+" is ready", func() bool {
			resp, err := http.Get(u + "/readyz")
			if err == nil {
				resp.Body.Close()
			}
			return err == nil && resp.StatusCode == http.StatusOK
		})
	}
	return p
}

// signedInClient signs user in to the console through the provider's login
// form, as a browser does, and keeps the session cookie.
func signedInClient(b *testing.B, p *devstack.Platform, user string) *http.Client {
	b.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Jar: jar, Timeout: time.Minute}
	resp, err := client.Get(p.ConsoleURL + "/")
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	requestID := resp.Request.URL.Query().Get("authRequestID")
	if requestID == "" {
		b.Fatalf("the console did not lead to the provider's login form but to %s", resp.Request.URL)
	}
	resp, err = client.PostForm(p.IdP.Issuer+"/login", url.Values{"id": {requestID}, "username": {user}, "password": {idp.DevPassword}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.String(), p.ConsoleURL) {
		b.Fatalf("signing in as %s ended at %s with %d", user, resp.Request.URL, resp.StatusCode)
	}
	return client
}

// The seeded county: Linxia's units as the sample policy and users name
// them.
const (
	benchCounty  = "622901"
	benchStation = "bafang-police"
	benchCentre  = "bafang-centre"
)

var benchTownships = []string{"622901001", "622901002", "622901003", "622901004", "622901005"}

// benchDispute is the i-th of n disputes, registered over the last 90 days
// (the newest an hour ago). Seven in ten were signed for and settled; the
// rest wait for the centre's signature, the older of them overdue.
type benchDispute struct {
	id, caseCode, township string
	registeredAt           time.Time
	settled                bool
}

func benchDisputes(n int, now time.Time) []benchDispute {
	out := make([]benchDispute, n)
	step := 90 * 24 * time.Hour / time.Duration(n)
	for i := range out {
		out[i] = benchDispute{
			id: fmt.Sprintf("bench-%06d", i), caseCode: fmt.Sprintf("622901-2026-%06d", i+1),
			township:     benchTownships[i%len(benchTownships)],
			registeredAt: now.Add(-time.Hour - time.Duration(n-1-i)*step).Truncate(time.Millisecond),
			settled:      i%10 < 7,
		}
	}
	return out
}

// seededStore fills storeDir with n disputes. With BENCH_CONSOLE_SEEDS set
// to a directory, a store seeded once is kept there (by n) and copied for
// later runs, which then skip the minutes of seeding; its disputes were
// registered relative to the first run, so a kept store ages with it.
func seededStore(b *testing.B, storeDir string, n int) {
	b.Helper()
	cache := os.Getenv("BENCH_CONSOLE_SEEDS")
	if cache == "" {
		seedStores(b, storeDir, n)
		return
	}
	kept := filepath.Join(cache, strconv.Itoa(n))
	if _, err := os.Stat(kept); err != nil {
		partial := kept + ".partial"
		if err := os.RemoveAll(partial); err != nil {
			b.Fatal(err)
		}
		seedStores(b, partial, n)
		if err := os.Rename(partial, kept); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.CopyFS(storeDir, os.DirFS(kept)); err != nil {
		b.Fatalf("while copying the kept store of %d disputes: %v", n, err)
	}
}

func seedStores(b *testing.B, storeDir string, n int) {
	b.Helper()
	ctx := context.Background()
	store, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: storeDir})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	client, err := mongo.Connect(options.Client().ApplyURI(store.URI))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = client.Disconnect(ctx) }()
	disputes := benchDisputes(n, time.Now().UTC())
	db := client.Database("fengqiao")
	insertAll(b, db.Collection("intake.disputes"), disputes, intakeRecord)
	insertAll(b, db.Collection("referral.slips"), disputes, slipRecord)
	replayCaseFiles(b, store.URI, disputes)
}

func insertAll(b *testing.B, coll *mongo.Collection, disputes []benchDispute, record func(benchDispute) any) {
	b.Helper()
	const batch = 1000
	for start := 0; start < len(disputes); start += batch {
		var docs []any
		for _, d := range disputes[start:min(len(disputes), start+batch)] {
			docs = append(docs, record(d))
		}
		if _, err := coll.InsertMany(context.Background(), docs); err != nil {
			b.Fatalf("while seeding %s: %v", coll.Name(), err)
		}
	}
}

// storedDispute is intake's dispute as it stores it (the fields a list
// reads; the parties are left out, which intake's documents allow).
type storedDispute struct {
	ID           string           `bson:"id"`
	CaseCode     string           `bson:"case_code"`
	CountyCode   string           `bson:"county_code"`
	Round        int              `bson:"round"`
	Status       string           `bson:"status"`
	Channel      events.Channel   `bson:"channel"`
	Place        events.Place     `bson:"place"`
	Category     events.Category  `bson:"category"`
	RiskLevel    events.RiskLevel `bson:"risk_level"`
	RiskReasons  []string         `bson:"risk_reasons"`
	Parties      []any            `bson:"parties"`
	GroupSize    int              `bson:"group_size"`
	Summary      string           `bson:"summary"`
	Narrative    string           `bson:"narrative"`
	RecordedBy   events.Agency    `bson:"recorded_by"`
	RegisteredAt time.Time        `bson:"registered_at"`
}

func intakeRecord(d benchDispute) any {
	return docstore.Record[storedDispute]{ID: d.id, Version: 1, Outbox: []outbox.Entry{}, Applied: []string{},
		CreatedAt: d.registeredAt, UpdatedAt: d.registeredAt, State: storedDispute{
			ID: d.id, CaseCode: d.caseCode, CountyCode: benchCounty, Round: 1, Status: "registered", Channel: events.ChannelAlert110,
			Place: events.Place{CountyCode: benchCounty, TownshipCode: d.township}, Category: events.CategoryNeighbour,
			RiskLevel: events.RiskLow, RiskReasons: []string{}, Parties: []any{}, GroupSize: 2,
			Summary: "院墙争执", Narrative: "两户因院墙位置发生争执，民警到场劝解。",
			RecordedBy: events.Agency{Kind: events.AgencyPoliceStation, ID: benchStation}, RegisteredAt: d.registeredAt,
		}}
}

// storedSlip is referral's slip as it stores it.
type storedSlip struct {
	ID         string           `bson:"id"`
	DisputeID  string           `bson:"dispute_id"`
	CountyCode string           `bson:"county_code"`
	CaseCode   string           `bson:"case_code"`
	Round      int              `bson:"round"`
	Category   events.Category  `bson:"category"`
	RiskLevel  events.RiskLevel `bson:"risk_level"`
	Place      events.Place     `bson:"place"`
	Parties    []any            `bson:"parties"`
	IssuedBy   events.Agency    `bson:"issued_by"`
	IssuedAt   time.Time        `bson:"issued_at"`
	Copies     []storedCopy     `bson:"copies"`
}

type storedCopy struct {
	Copy       events.Copy   `bson:"copy"`
	Recipient  events.Agency `bson:"recipient"`
	Topic      string        `bson:"topic"`
	AcceptBy   time.Time     `bson:"accept_by"`
	AcceptedAt *time.Time    `bson:"accepted_at,omitempty"`
	AcceptedBy string        `bson:"accepted_by,omitempty"`
	ClockFrom  time.Time     `bson:"clock_from"`
	Window     time.Duration `bson:"window"`
	Level      int           `bson:"level"` // referral's ladder: 2 is the street's centre
}

// benchCopies are a dispute's three copies; the centre's is signed when
// the dispute was settled. No next check is stored: the deadline sweep
// has nothing to do while the pages are measured.
func benchCopies(d benchDispute) []storedCopy {
	issued, window := d.registeredAt.Add(time.Minute), 24*time.Hour
	recipients := map[events.Copy]events.Agency{
		events.CopyCommittee:    {Kind: events.AgencyCommittee, ID: "committee"},
		events.CopyJurisdiction: {Kind: events.AgencyGovernanceCentre, ID: benchCentre},
		events.CopyPolice:       {Kind: events.AgencyPoliceStation, ID: benchStation},
	}
	var out []storedCopy
	for _, c := range events.Copies() {
		sc := storedCopy{Copy: c, Recipient: recipients[c], Topic: events.CountyCopyTopic(benchCounty, c),
			AcceptBy: issued.Add(window), ClockFrom: issued, Window: window, Level: 2}
		if d.settled || c != events.CopyJurisdiction {
			at := issued.Add(10 * time.Minute)
			sc.AcceptedAt, sc.AcceptedBy = &at, "S7@"+sc.Recipient.ID
		}
		out = append(out, sc)
	}
	return out
}

func slipRecord(d benchDispute) any {
	return docstore.Record[storedSlip]{ID: d.id + ".r1", Version: 1, Outbox: []outbox.Entry{}, Applied: []string{},
		CreatedAt: d.registeredAt, UpdatedAt: d.registeredAt, State: storedSlip{
			ID: d.id + ".r1", DisputeID: d.id, CountyCode: benchCounty, CaseCode: d.caseCode, Round: 1,
			Category: events.CategoryNeighbour, RiskLevel: events.RiskLow,
			Place: events.Place{CountyCode: benchCounty, TownshipCode: d.township}, Parties: []any{},
			IssuedBy: events.Agency{Kind: events.AgencyPoliceStation, ID: benchStation}, IssuedAt: d.registeredAt.Add(time.Minute),
			Copies: benchCopies(d),
		}}
}

// replayCaseFiles publishes the disputes' lifecycles on a scratch broker
// and has supervision's Replay build its case files from them into the
// store.
func replayCaseFiles(b *testing.B, mongoURI string, disputes []benchDispute) {
	b.Helper()
	ctx := context.Background()
	broker, err := embedded.StartBroker(ctx, embedded.BrokerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer broker.Close()
	cfg := config.Common{KafkaBrokers: broker.Addrs, MongoURI: mongoURI, MongoDatabase: "fengqiao", TopicPartitions: 3, TopicReplication: 1}
	cluster := messaging.ClusterFromConfig(cfg)
	if err := messaging.EnsureTopics(ctx, cluster, events.InternalTopics()...); err != nil {
		b.Fatal(err)
	}
	producer, err := messaging.NewProducer(cluster)
	if err != nil {
		b.Fatal(err)
	}
	defer producer.Close()
	var batch []messaging.Message
	for i, d := range disputes {
		batch = append(batch, benchLifecycle(b, d)...)
		if len(batch) >= 5000 || i == len(disputes)-1 {
			if err := producer.Publish(ctx, batch...); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if _, err := supervision.Replay(ctx, cfg, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
}

// benchLifecycle is the events of one dispute as far as it went: its
// registration and slip, and for a settled one the centre's signature and
// the mediation's agreement.
func benchLifecycle(b *testing.B, d benchDispute) []messaging.Message {
	s := events.Subject{DisputeID: d.id, CountyCode: benchCounty}
	station := events.Agency{Kind: events.AgencyPoliceStation, ID: benchStation}
	centre := events.Agency{Kind: events.AgencyGovernanceCentre, ID: benchCentre}
	place := events.Place{CountyCode: benchCounty, TownshipCode: d.township}
	var copies []events.SlipCopy
	for _, c := range benchCopies(d) {
		copies = append(copies, events.SlipCopy{Copy: c.Copy, Recipient: c.Recipient, Topic: c.Topic, AcceptBy: c.AcceptBy})
	}
	at := d.registeredAt
	out := []messaging.Message{
		benchMessage(b, "intake", &events.DisputeRegistered{Subject: s, Handoff: events.Handoff{From: station, To: station},
			CaseCode: d.caseCode, Round: 1, Channel: events.ChannelAlert110, Place: place, Category: events.CategoryNeighbour,
			RiskLevel: events.RiskLow, GroupSize: 2, RegisteredAt: at}, at),
		benchMessage(b, "referral", &events.ReferralIssued{Subject: s, Handoff: events.Handoff{From: station, To: centre},
			SlipID: d.id + ".r1", CaseCode: d.caseCode, Round: 1, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow,
			Copies: copies, IssuedAt: at.Add(time.Minute)}, at.Add(time.Minute)),
	}
	if !d.settled {
		return out
	}
	room := events.Agency{Kind: events.AgencyMediationRoom, ID: "bafang-room"}
	return append(out,
		benchMessage(b, "referral", &events.ReferralCopyAccepted{Subject: s, Handoff: events.Handoff{From: station, To: centre},
			SlipID: d.id + ".r1", Round: 1, Copy: events.CopyJurisdiction, AcceptedBy: "S7@" + benchCentre,
			AcceptedAt: at.Add(11 * time.Minute), TimeToSignSeconds: 600}, at.Add(11*time.Minute)),
		benchMessage(b, "mediation-room", &events.MediationOpened{Subject: s, Handoff: events.Handoff{From: centre, To: room},
			MediationID: d.id + ".r1.m1", Round: 1, Tier: 1, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow,
			OpenedAt: at.Add(12 * time.Minute)}, at.Add(12*time.Minute)),
		benchMessage(b, "mediation-room", &events.MediationResolved{Subject: s, Handoff: events.Handoff{From: room, To: centre},
			MediationID: d.id + ".r1.m1", Round: 1, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow,
			Agreement: events.Agreement{TermCount: 1}, ResolvedAt: at.Add(30 * time.Minute)}, at.Add(30*time.Minute)),
	)
}

func benchMessage(b *testing.B, source string, p events.Payload, at time.Time) messaging.Message {
	e, err := outbox.New(context.Background(), source, p, at)
	if err != nil {
		b.Fatalf("outbox.New(%s): %v", p.EventType(), err)
	}
	return e.Message()
}

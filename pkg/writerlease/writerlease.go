// Package writerlease keeps a second process from writing a service's
// aggregates on a store that cannot arbitrate between writers.
//
// On MongoDB a version-checked update is a compare-and-set, so any number
// of replicas of a service may write the same aggregates. FerretDB v1 reads,
// changes and writes back a document outside any transaction: two processes
// updating one document at the same version both succeed and one change is
// lost. Inside one process the docstore serialises such writes; across
// processes nothing can. So on FerretDB a service holds a lease, one
// document per service renewed every few seconds, and a second process of
// the same service refuses to start while the lease is alive, saying why.
// The lease is advisory and best effort (its own write is not atomic
// either); what it prevents is the ordinary mistake of scaling a service
// beyond one replica on the embedded store.
package writerlease

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Collection holds one lease document per service, keyed by service name.
const Collection = "writer_leases"

// Timing of a lease: renewed every Renew, considered abandoned after TTL
// without renewal (a crashed process), and confirmed Settle after a claim
// so that two processes starting together see each other's claim.
const (
	Renew  = 5 * time.Second
	TTL    = 20 * time.Second
	Settle = 300 * time.Millisecond
)

// ErrHeld is returned when another live process holds the lease.
var ErrHeld = errors.New("another process writes this service's aggregates")

type lease struct {
	ID        string    `bson:"_id"`
	Holder    string    `bson:"holder"`
	Host      string    `bson:"host"`
	PID       int       `bson:"pid"`
	RenewedAt time.Time `bson:"renewed_at"`
}

// Lease is a held lease; Run renews it until its context ends.
type Lease struct {
	coll    *mongo.Collection
	service string
	holder  string
	proc    Process
}

// Process identifies the claiming process; the zero value means this one.
// Tests set it to play several processes in one.
type Process struct {
	Host string
	PID  int
	Now  func() time.Time
}

func (p Process) orThis() Process {
	if p.Host == "" {
		p.Host, _ = os.Hostname()
	}
	if p.PID == 0 {
		p.PID = os.Getpid()
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	return p
}

// Acquire claims the lease of service in db, or fails with ErrHeld when a
// process that renewed it within TTL holds it.
func Acquire(ctx context.Context, db *mongo.Database, service string, proc Process) (*Lease, error) {
	l := &Lease{coll: db.Collection(Collection), service: service, holder: newHolderID(), proc: proc.orThis()}
	if err := l.checkFree(ctx); err != nil {
		return nil, err
	}
	if err := l.write(ctx); err != nil {
		return nil, err
	}
	// Two processes may both have found the lease free: after a pause, the
	// last writer is the holder and the other one backs off.
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(Settle):
	}
	cur, err := l.read(ctx)
	if err != nil {
		return nil, err
	}
	if cur == nil || cur.Holder != l.holder {
		return nil, heldError(service, cur)
	}
	return l, nil
}

// Run renews the lease every Renew until ctx ends, then releases it. It
// returns an error if another process took the lease over meanwhile (this
// one was stalled beyond TTL): the caller should stop writing.
func (l *Lease) Run(ctx context.Context) error {
	t := time.NewTicker(Renew)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return l.release()
		case <-t.C:
		}
		cur, err := l.read(ctx)
		if err != nil {
			continue // the store is away: keep the lease, renew on its return
		}
		if cur != nil && cur.Holder != l.holder {
			if cur.Host == l.proc.Host && cur.PID == l.proc.PID {
				// Another instance in this very process (a test, or a
				// service restarted in place): it now renews the lease.
				<-ctx.Done()
				return nil
			}
			return heldError(l.service, cur)
		}
		_ = l.write(ctx) // the store is away: renew on its return
	}
}

func (l *Lease) checkFree(ctx context.Context) error {
	cur, err := l.read(ctx)
	if err != nil {
		return err
	}
	if cur != nil && cur.Holder != l.holder && l.proc.Now().Sub(cur.RenewedAt) < TTL && !l.abandonedHere(cur) {
		return heldError(l.service, cur)
	}
	return nil
}

// abandonedHere reports whether the lease was held by a process of this
// host that no longer runs, so a restart after a crash (make run after a
// SIGKILL, a container restarted in its pod with PID 1 again) need not
// wait for the lease to expire. A live process with this process's PID on
// this host can only be this process itself.
func (l *Lease) abandonedHere(cur *lease) bool {
	if cur.Host != l.proc.Host {
		return false
	}
	return cur.PID == l.proc.PID || !processAlive(cur.PID)
}

// read looks the lease up by exactly {_id}: the one filter FerretDB serves
// from an index.
func (l *Lease) read(ctx context.Context) (*lease, error) {
	var cur lease
	err := l.coll.FindOne(ctx, bson.D{{Key: "_id", Value: l.service}}).Decode(&cur)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("while reading the writer lease of %s: %w", l.service, err)
	}
	return &cur, nil
}

func (l *Lease) write(ctx context.Context) error {
	doc := lease{ID: l.service, Holder: l.holder, Host: l.proc.Host, PID: l.proc.PID, RenewedAt: l.proc.Now().UTC()}
	_, err := l.coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: l.service}}, doc, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("while writing the writer lease of %s: %w", l.service, err)
	}
	return nil
}

// release deletes the lease if this process still holds it, so a restart
// need not wait for TTL.
func (l *Lease) release() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cur, err := l.read(ctx)
	if err != nil || cur == nil || cur.Holder != l.holder {
		return err
	}
	_, err = l.coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: l.service}})
	return err
}

func heldError(service string, cur *lease) error {
	if cur == nil {
		return fmt.Errorf("%s: %w (another process claimed it at the same time); "+
			"on FerretDB run one replica per service, or use MongoDB for several", service, ErrHeld)
	}
	return fmt.Errorf("%s: %w (process %d on %s, renewed %s); "+
		"FerretDB cannot arbitrate concurrent writers: run one replica per service on it, or use MongoDB for several",
		service, ErrHeld, cur.PID, cur.Host, cur.RenewedAt.Format(time.RFC3339))
}

func newHolderID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

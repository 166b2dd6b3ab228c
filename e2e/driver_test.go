package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"fengqiao.dev/pkg/identity"
)

// sampleCounty is one of the sample counties (operators/mediationcenter/
// config/samples) with a place whose neighbours' disputes its routing rules
// send to a governance centre.
type sampleCounty struct {
	code, township, village string
}

var sampleCounties = []sampleCounty{
	{"622901", "622901001", "622901001001"}, // Linxia city, 八坊街道
	{"620902", "620902001", "620902001001"}, // Jiuquan Suzhou, 东北街街道
	{"370202", "370202001", "370202001001"}, // Qingdao Shinan, 江苏路街道
}

// endpoints tells the driver where the services are now; a restarted
// platform may move them.
type endpoints interface {
	url(service string) string
	issuer() string // the OpenID provider the services trust
}

// run is one dispute as the driver drives it: what it sent, what it was told
// and how far it got.
type run struct {
	no        int
	county    sampleCounty
	key       string // Idempotency-Key and external reference
	id        string // set once the registration got a 2xx
	settled   bool   // outcome recorded (2xx, or found recorded after an error)
	revisited bool   // revisit result recorded
	failure   string // why the driver gave up on it, if it did
}

func (r *run) accepted() bool { return r.id != "" }

// driver sends a steady stream of disputes through the whole loop, as the
// officers, mediators and centres of several counties would, retrying what
// fails as a careful client does: the same Idempotency-Key for a
// registration, a re-read before repeating a change. Its ledger is what
// the platform told it: every run with an id was accepted.
type driver struct {
	where    endpoints
	client   *http.Client
	runs     []*run
	interval time.Duration // between two new disputes
	patience time.Duration // how long one dispute may take through the loop
	sent     atomic.Int64
	// observe, if set, sees every answer (or the error instead of one)
	// with when its request was sent.
	observe func(method, path string, sent time.Time, status int, answer map[string]any, err error)
}

func newDriver(where endpoints, disputes int, tag string) *driver {
	d := &driver{
		where: where, client: &http.Client{Timeout: 10 * time.Second},
		interval: 120 * time.Millisecond, patience: 4 * time.Minute,
	}
	for i := range disputes {
		d.runs = append(d.runs, &run{no: i, county: sampleCounties[i%len(sampleCounties)], key: fmt.Sprintf("fault-%s-%04d", tag, i)})
	}
	return d
}

// drive starts one dispute every interval and returns when every one has
// gone through the loop or been given up on. progress receives the number
// of disputes started so far, so a fault can be timed to the stream.
func (d *driver) drive(ctx context.Context, progress func(started int)) {
	var wg sync.WaitGroup
	tick := time.NewTicker(d.interval)
	defer tick.Stop()
	for i, r := range d.runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.follow(ctx, r)
		}()
		progress(i + 1)
		select {
		case <-tick.C:
		case <-ctx.Done():
		}
	}
	wg.Wait()
}

// follow takes one dispute from registration to a recorded revisit.
func (d *driver) follow(ctx context.Context, r *run) {
	ctx, cancel := context.WithTimeout(ctx, d.patience)
	defer cancel()
	if err := d.register(ctx, r); err != nil {
		r.failure = err.Error()
		return
	}
	slip := r.id + ".r1"
	// The centre that owns the case records its outcome: a run's many cases
	// go to whichever mediators matching seats, each only on its own.
	if err := d.changeOnce(ctx, r, "mediation-room", "/v1/mediations/"+slip+".m1", "open", "/outcome", centreOf(r.county.code), outcome(), "resolved"); err != nil {
		r.failure = err.Error()
		return
	}
	r.settled = true
	if err := d.changeOnce(ctx, r, "revisit", "/v1/revisits/"+slip+".v1", "scheduled", "/result", centreOf(r.county.code), map[string]any{"outcome": "stable"}, "completed"); err != nil {
		r.failure = err.Error()
		return
	}
	r.revisited = true
}

// register posts the registration until it gets a 2xx, always with the same
// Idempotency-Key: a repeat after a lost answer must not make a second
// dispute.
func (d *driver) register(ctx context.Context, r *run) error {
	body := registrationIn(r)
	for {
		d.sent.Add(1)
		status, answer, err := d.call(ctx, "intake", http.MethodPost, "/v1/disputes", body, officerOf(r.county.code), "Idempotency-Key", r.key)
		if err == nil && (status == http.StatusCreated || status == http.StatusOK) {
			id, _ := answer["id"].(string)
			if id == "" {
				return fmt.Errorf("registration %s: %d without an id: %v", r.key, status, answer)
			}
			r.id = id
			return nil
		}
		// 409: the case code's counter was busy past the write's budget
		// (the store slow under the fault); the answer says to try again,
		// and the Idempotency-Key makes that safe.
		if err == nil && status < 500 && status != http.StatusTooManyRequests && status != http.StatusRequestTimeout && status != http.StatusConflict {
			return fmt.Errorf("registration %s refused: %d %v", r.key, status, answer)
		}
		if !pause(ctx) {
			return fmt.Errorf("registration %s: no 2xx before the deadline (last %d %v %v)", r.key, status, answer, err)
		}
	}
}

// changeOnce waits until the aggregate at path is in state ready, then posts
// the change; after an error it re-reads, and a change found made (state
// done) counts as made, as a person at a screen would see it.
func (d *driver) changeOnce(ctx context.Context, r *run, service, path, ready, action string, caller identity.Caller, body any, done string) error {
	for {
		status, state, err := d.call(ctx, service, http.MethodGet, path, nil, caller)
		if err == nil && status == http.StatusOK {
			switch state["status"] {
			case done:
				return nil
			case ready:
				if status, _, err := d.call(ctx, service, http.MethodPost, path+action, body, caller); err == nil && status == http.StatusOK {
					return nil
				}
			}
		}
		if !pause(ctx) {
			return fmt.Errorf("%s of %s: not %s before the deadline (last %d %v %v)", path, r.key, done, status, state["status"], err)
		}
	}
}

func (d *driver) call(ctx context.Context, service, method, path string, body any, caller identity.Caller, headers ...string) (int, map[string]any, error) {
	var payload io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		payload = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.where.url(service)+path, payload)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	token, err := sessions.bearer(d.where.issuer(), caller)
	if err != nil {
		return 0, nil, fmt.Errorf("cannot log in as %s: %w", userName(caller), err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	sent := time.Now()
	status, out, err := d.send(req)
	if d.observe != nil {
		d.observe(method, path, sent, status, out, err)
	}
	return status, out, err
}

func (d *driver) send(req *http.Request) (int, map[string]any, error) {
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out, nil
}

// pause waits a little before the next try; false once ctx is over.
func pause(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(250 * time.Millisecond):
		return true
	}
}

func registrationIn(r *run) map[string]any {
	// Distinct parties per dispute: the same people at the same place would
	// be linked as a repeat report of one dispute, not registered anew.
	return map[string]any{
		"channel": "alert_110", "external_ref": r.key, "county_code": r.county.code,
		"place":    map[string]any{"township_code": r.county.township, "village_code": r.county.village},
		"category": "neighbour",
		"parties": []map[string]any{
			{"role": "applicant", "name": fmt.Sprintf("甲%04d", r.no), "phone": fmt.Sprintf("139%08d", r.no)},
			{"role": "respondent", "name": fmt.Sprintf("乙%04d", r.no)},
		},
		"summary": "院墙争执 " + r.key, "narrative": "两户因院墙位置发生争执，民警到场劝解。",
	}
}

func outcome() map[string]any {
	return map[string]any{"result": "resolved", "agreement": map[string]any{
		"summary": "院墙后退 20 厘米", "terms": []string{"12 月 1 日前拆除越界部分"}}}
}

func officerOf(county string) identity.Caller { return sampleUser(identity.RoleOfficer, county) }

func centreOf(county string) identity.Caller { return sampleUser(identity.RoleJurisdiction, county) }

func committeeOf(county string) identity.Caller { return sampleUser(identity.RoleCommittee, county) }

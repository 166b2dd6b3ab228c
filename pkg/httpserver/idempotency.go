package httpserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
)

// IdempotentAnswer is the first answer to a POST sent with an
// Idempotency-Key, kept so that a retry of the same request gets it again
// instead of acting twice.
type IdempotentAnswer struct {
	// Request fingerprints the method, path and body the key was first
	// used with; the same key with another request is refused.
	Request string `bson:"request"`
	// Status is 0 while the first request is being answered.
	Status int               `bson:"status"`
	Header map[string]string `bson:"header,omitempty"`
	Body   []byte            `bson:"body,omitempty"`
	At     time.Time         `bson:"at"`
}

// Expired reports whether the answer's key has outlived KeyLifetime at
// now, or was released by a failed first request: either way its record
// may go.
func (a IdempotentAnswer) Expired(now time.Time) bool { return now.Sub(a.At) >= KeyLifetime }

// IdempotentAnswers stores answers by _id; *docstore.Collection satisfies it.
type IdempotentAnswers interface {
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[IdempotentAnswer]) error) (IdempotentAnswer, error)
}

// A key is kept KeyLifetime: a client retries within minutes, and a key
// seen again after a day is a new request. A first request still unanswered
// after inFlightLimit has died with its process: a retry takes its key over.
const (
	KeyLifetime       = 24 * time.Hour
	inFlightLimit     = time.Minute
	maxIdempotencyKey = 255
)

// replayedHeaders are the response headers a replay repeats.
var replayedHeaders = []string{echo.HeaderContentType, echo.HeaderLocation, "ETag", "Fengqiao-Report-Linked"}

// Idempotent makes every POST sent with an Idempotency-Key answer once: a
// retry with the same key and the same request gets the first answer again
// (with Idempotent-Replayed: true) and changes nothing; the same key with
// another request is a 422; a retry while the first is still running is a
// 409. Keys are the caller's own: two agencies' systems may use the same.
// Answers of 5xx are not kept, so a retry after a failure acts again.
// skip names routes (as registered, "/v1/disputes") that keep keys their
// own way.
func Idempotent(answers IdempotentAnswers, now func() time.Time, skip ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			key := c.Request().Header.Get("Idempotency-Key")
			if c.Request().Method != http.MethodPost || key == "" || slices.Contains(skip, c.Path()) {
				return next(c)
			}
			if len(key) > maxIdempotencyKey {
				return problem.Invalid("Idempotency-Key is too long", problem.FieldError{Pointer: "header:Idempotency-Key", Detail: "at most 255 characters"})
			}
			body, err := io.ReadAll(c.Request().Body)
			if err != nil {
				return err // over the body limit: its own problem
			}
			c.Request().Body = io.NopCloser(bytes.NewReader(body))
			caller, _ := identity.FromContext(c.Request().Context())
			k := idempotency{answers: answers, now: now, id: keyID(caller, key), request: fingerprint(c.Request().Method, c.Request().URL.Path, body)}
			first, err := k.reserve(c.Request().Context())
			if err != nil {
				return err
			}
			if first != nil {
				return replay(c, *first)
			}
			return k.answer(c, next)
		}
	}
}

type idempotency struct {
	answers     IdempotentAnswers
	now         func() time.Time
	id, request string
}

var errKeyTaken = errors.New("key taken")

// reserve claims the key for this request, or returns the first answer
// to replay; an error is a problem to answer with.
func (k idempotency) reserve(ctx context.Context) (*IdempotentAnswer, error) {
	var found IdempotentAnswer
	now := k.now().UTC()
	_, err := k.answers.Update(ctx, k.id, docstore.Options{Create: true}, func(ch *docstore.Change[IdempotentAnswer]) error {
		found = ch.State
		live := ch.Exists && !ch.State.Expired(now)
		if live && (ch.State.Status != 0 || now.Sub(ch.State.At) < inFlightLimit) {
			return errKeyTaken
		}
		ch.State = IdempotentAnswer{Request: k.request, At: now}
		return nil
	})
	switch {
	case err == nil:
		return nil, nil
	case !errors.Is(err, errKeyTaken):
		return nil, err
	case found.Request != k.request:
		return nil, problem.Unprocessable("this Idempotency-Key was used for a different request")
	case found.Status == 0:
		return nil, problem.Conflict("the first request with this Idempotency-Key is still being answered; retry in a moment")
	}
	return &found, nil
}

// answer runs the request and keeps its answer under the key.
func (k idempotency) answer(c echo.Context, next echo.HandlerFunc) error {
	rec := &recorder{ResponseWriter: c.Response().Writer}
	c.Response().Writer = rec
	if err := next(c); err != nil {
		c.Error(err) // rendered now, so that its problem is the answer kept
	}
	c.Response().Writer = rec.ResponseWriter
	status := c.Response().Status
	// Kept apart from the request's context: the answer is given, and a
	// client gone now must still find it when it retries.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), 5*time.Second)
	defer cancel()
	_, err := k.answers.Update(ctx, k.id, docstore.Options{}, func(ch *docstore.Change[IdempotentAnswer]) error {
		if status >= 500 {
			ch.State.At = time.Time{} // released: a retry acts again
			return nil
		}
		ch.State.Status, ch.State.Body, ch.State.Header = status, rec.body.Bytes(), map[string]string{}
		for _, h := range replayedHeaders {
			if v := c.Response().Header().Get(h); v != "" {
				ch.State.Header[h] = v
			}
		}
		return nil
	})
	if err != nil {
		c.Logger().Error("cannot keep the answer to an Idempotency-Key: ", err)
	}
	return nil
}

func replay(c echo.Context, a IdempotentAnswer) error {
	for h, v := range a.Header {
		c.Response().Header().Set(h, v)
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	c.Response().WriteHeader(a.Status)
	_, err := c.Response().Write(a.Body)
	return err
}

// keyID scopes a key to its caller.
func keyID(caller identity.Caller, key string) string {
	sum := sha256.Sum256([]byte(caller.County + "\x00" + caller.Agency + "\x00" + string(caller.Role) + "\x00" + caller.Officer + "\x00" + key))
	return hex.EncodeToString(sum[:])
}

// fingerprint identifies a request by method, path and body; the body's
// JSON is compacted, so whitespace does not make another request.
func fingerprint(method, path string, body []byte) string {
	var compact bytes.Buffer
	if json.Compact(&compact, body) == nil {
		body = compact.Bytes()
	}
	sum := sha256.Sum256(append([]byte(method+" "+path+"\n"), body...))
	return hex.EncodeToString(sum[:])
}

// recorder keeps a copy of the body written.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
